import type { InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { FieldError } from "~/lib/forms.server";

/** A labelled input with its translated error underneath, wired up for screen readers. */
export function Field({
  label,
  name,
  error,
  id = `field-${name}`,
  ...input
}: { label: string; name: string; error?: FieldError } & InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...input}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(error.key, error.values)}
        </p>
      ) : null}
    </div>
  );
}
