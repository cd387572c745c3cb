import { Form, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { type ActionFailure, failureFor } from "~/lib/forms";

/** "Email me a code": one button, and why the last request for a code was refused. */
export function SendCodeForm({
  reply,
  label,
  className,
}: {
  reply?: ActionFailure;
  label: string;
  className?: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="sendCode" />
      <FormError failure={failureFor(reply, "sendCode")} />
      <button type="submit" className={className} disabled={busy}>
        {label}
      </button>
    </Form>
  );
}
