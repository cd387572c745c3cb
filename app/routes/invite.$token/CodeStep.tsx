import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormError, PasswordField } from "~/components/Field";
import { type ActionFailure, failureFor } from "~/lib/forms";
import { SendCodeForm } from "./SendCodeForm";

/** The emailed code, a name and a new password; or another code, or back to joining with a password. */
export function CodeStep({
  reply,
  email,
  organizationName,
  codeMinutes,
  codeDigits,
}: {
  reply?: ActionFailure;
  email: string;
  organizationName: string;
  codeMinutes: number;
  codeDigits: number;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(reply, "verify");
  const startParams = new URLSearchParams(location.search);
  startParams.delete("step");
  const startHref = `${location.pathname}${startParams.size > 0 ? `?${startParams}` : ""}`;
  return (
    <section aria-labelledby="invite-code-step">
      <h2 id="invite-code-step">{t("invitation.codeStepTitle")}</h2>
      <p>{t("invitation.codeSent", { email, minutes: codeMinutes })}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="verify" />
        <FormError failure={failure} />
        <Field
          label={t("invitation.code")}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          defaultValue={failure?.values?.code}
          error={failure?.fieldErrors?.code}
          required
          maxLength={20}
          placeholder={"0".repeat(codeDigits)}
        />
        <Field
          label={t("fields.name")}
          name="name"
          autoComplete="name"
          hint={t("invitation.nameHint")}
          defaultValue={failure?.values?.name}
          error={failure?.fieldErrors?.name}
          maxLength={100}
        />
        <PasswordField
          failure={failure}
          label={t("invitation.newPassword")}
          hint={t("invitation.newPasswordHint")}
          isNew
        />
        <button type="submit" disabled={busy}>
          {t("invitation.accept", { organization: organizationName })}
        </button>
      </Form>
      <h3>{t("invitation.noCodeTitle")}</h3>
      <p className="muted">{t("invitation.noCodeIntro")}</p>
      <SendCodeForm reply={reply} label={t("invitation.resendCode")} className="secondary" />
      <p>
        <Link to={startHref}>{t("invitation.usePasswordInstead")}</Link>
      </p>
    </section>
  );
}
