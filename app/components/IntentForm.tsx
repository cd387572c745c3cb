// The "hidden intent + id + button" form every page uses for one-click actions, and how such a form shows a failure.
import { Form, Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ActionFailure, Confirmation } from "~/lib/forms";
import { ConfirmForm } from "./ConfirmForm";

/** Hidden fields by name; a list repeats the field once per value. */
export type HiddenFields = Record<string, string | number | readonly (string | number)[]>;

/**
 * A one-button POST form: its intent, the form it stands for (`formId`, where one intent has a form per row), hidden
 * fields and the button. With `confirm`, the browser asks first (window.confirm; without JavaScript it posts directly).
 */
export function IntentForm({
  id,
  intent,
  formId,
  fields = {},
  label,
  ariaLabel,
  buttonClassName,
  className,
  confirm,
  children,
}: {
  /** The form's element id, for inputs elsewhere that belong to it (`form="…"`). */
  id?: string;
  intent: string;
  formId?: string;
  fields?: HiddenFields;
  label: string;
  ariaLabel?: string;
  buttonClassName?: string;
  className?: string;
  confirm?: string;
  /** After the button (e.g. a "Cancel" link). */
  children?: ReactNode;
}) {
  const content = (
    <>
      <input type="hidden" name="intent" value={intent} />
      {formId ? <input type="hidden" name="formId" value={formId} /> : null}
      {Object.entries(fields).flatMap(([name, value]) =>
        (typeof value === "object" ? value : [value]).map((item) => (
          <input key={`${name}=${item}`} type="hidden" name={name} value={item} />
        )),
      )}
      <button type="submit" className={buttonClassName} aria-label={ariaLabel}>
        {label}
      </button>
      {children}
    </>
  );
  return confirm ? (
    <ConfirmForm id={id} confirmMessage={confirm} className={className}>
      {content}
    </ConfirmForm>
  ) : (
    <Form id={id} method="post" className={className}>
      {content}
    </Form>
  );
}

/**
 * The failure of one-button forms, which have no visible fields: a field error (a malformed hidden id) is about the
 * form as a whole, like a refusal.
 */
export function IntentFailure({ failure }: { failure?: ActionFailure }) {
  const { t } = useTranslation();
  const message = failure?.error ?? failure?.fieldErrors?.form ?? Object.values(failure?.fieldErrors ?? {})[0];
  return message ? (
    <p className="form-error" role="alert">
      {t(message.key, message.values)}
    </p>
  ) : null;
}

/**
 * The server's "are you sure?" (a failure's `confirm`): its question, and the same form again with its fields and
 * confirmed=yes, or a way back to the page. It needs no JavaScript.
 */
export function ConfirmationQuestion({ intent, confirm }: { intent: string; confirm: Confirmation }) {
  const { t } = useTranslation();
  const location = useLocation();
  const fields: Record<string, string[]> = { confirmed: ["yes"] };
  for (const [name, value] of confirm.fields) fields[name] = [...(fields[name] ?? []), value];
  return (
    <div className="notice confirm" role="alertdialog" aria-labelledby="confirm-question">
      <p id="confirm-question">{t(confirm.question.key, confirm.question.values)}</p>
      <IntentForm
        intent={intent}
        fields={fields}
        label={t(confirm.button.key, confirm.button.values)}
        buttonClassName="danger"
        className="inline-form"
      >
        <Link to={`${location.pathname}${location.search}`}>{t("common.cancel")}</Link>
      </IntentForm>
    </div>
  );
}
