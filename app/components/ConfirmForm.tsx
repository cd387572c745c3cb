import { Form } from "@remix-run/react";
import type { ComponentProps } from "react";

/** A POST form that asks for confirmation before submitting (without JavaScript it submits directly). */
export function ConfirmForm({ confirmMessage, ...props }: { confirmMessage: string } & ComponentProps<typeof Form>) {
  return (
    <Form
      method="post"
      {...props}
      onSubmit={(event) => {
        if (!window.confirm(confirmMessage)) event.preventDefault();
      }}
    />
  );
}
