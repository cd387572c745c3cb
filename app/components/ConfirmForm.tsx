import { Form } from "@remix-run/react";
import type { ComponentProps } from "react";

/**
 * A POST form that asks for confirmation before submitting (without JavaScript it submits directly). A form with
 * several submit buttons passes a function of the pressed button's value: no question for `undefined`.
 */
export function ConfirmForm({
  confirmMessage,
  ...props
}: { confirmMessage: string | ((buttonValue: string | undefined) => string | undefined) } & ComponentProps<
  typeof Form
>) {
  return (
    <Form
      method="post"
      {...props}
      onSubmit={(event) => {
        const button = (event.nativeEvent as SubmitEvent).submitter;
        const message =
          typeof confirmMessage === "string"
            ? confirmMessage
            : confirmMessage(button?.getAttribute("value") ?? undefined);
        if (message !== undefined && !window.confirm(message)) event.preventDefault();
      }}
    />
  );
}
