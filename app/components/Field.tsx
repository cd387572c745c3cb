import type { InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { ActionFailure, Message } from "~/lib/forms";

/** A labelled input with an optional hint and its translated error underneath, wired up for screen readers. */
export function Field({
  label,
  name,
  error,
  hint,
  id = `field-${name}`,
  ...input
}: { label: string; name: string; error?: Message; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint ? (
        <p className="field-hint muted" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(error.key, error.values)}
        </p>
      ) : null}
    </div>
  );
}

/** A form's own failure (one message for the whole form, or a field error on `form`), above its fields. */
export function FormError({ failure }: { failure?: ActionFailure }) {
  const { t } = useTranslation();
  const message = failure?.error ?? failure?.fieldErrors?.form;
  return message ? (
    <p className="form-error" role="alert">
      {t(message.key, message.values)}
    </p>
  ) : null;
}

type SharedFieldProps = {
  failure?: ActionFailure;
  label: string;
  hint?: string;
} & InputHTMLAttributes<HTMLInputElement>;

/** A person's name, as every sign-up and profile form asks for it. */
export function NameField({ failure, label, ...input }: SharedFieldProps) {
  return (
    <Field
      label={label}
      name="name"
      defaultValue={failure?.values?.name}
      error={failure?.fieldErrors?.name}
      autoComplete="name"
      required
      maxLength={100}
      {...input}
    />
  );
}

/** An organization's name (first-run setup, a new organization). */
export function OrganizationNameField({ failure, label, ...input }: SharedFieldProps) {
  return (
    <Field
      label={label}
      name="orgName"
      defaultValue={failure?.values?.orgName}
      error={failure?.fieldErrors?.orgName}
      required
      maxLength={100}
      {...input}
    />
  );
}

/** An email address, shown again after a failure. */
export function EmailField({ failure, label, ...input }: SharedFieldProps) {
  return (
    <Field
      label={label}
      name="email"
      type="email"
      autoComplete="email"
      defaultValue={failure?.values?.email}
      error={failure?.fieldErrors?.email}
      required
      {...input}
    />
  );
}

/** A password field (never shown again); `name` defaults to "password", `isNew` asks the browser to suggest one. */
export function PasswordField({
  failure,
  label,
  name = "password",
  isNew = false,
  ...input
}: SharedFieldProps & { name?: string; isNew?: boolean }) {
  return (
    <Field
      label={label}
      name={name}
      type="password"
      autoComplete={isNew ? "new-password" : "current-password"}
      error={failure?.fieldErrors?.[name]}
      required
      minLength={isNew ? 8 : undefined}
      {...input}
    />
  );
}
