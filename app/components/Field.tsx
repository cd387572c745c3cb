import type { InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { FieldError } from "~/lib/forms.server";

/** A labelled input with an optional hint and its translated error underneath, wired up for screen readers. */
export function Field({
  label,
  name,
  error,
  hint,
  id = `field-${name}`,
  ...input
}: { label: string; name: string; error?: FieldError; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
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
