import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/Field";
import { RoleNames } from "~/components/RoleNames";
import { GRACE_DAYS, type PolicySettings, THRESHOLD_DAYS } from "~/dormant/policy";
import type { ActionFailure } from "~/lib/forms";
import type { RoleRef } from "~/members/types";

/**
 * The policy's fields: on/off, threshold, grace, exempt roles. "Preview" sends them as a GET (the page shows what they
 * would do, nothing is saved; no JavaScript needed), "Save" posts them.
 */
export function PolicyForm({
  settings,
  roles,
  failure,
}: {
  settings: PolicySettings;
  roles: RoleRef[];
  failure?: ActionFailure;
}) {
  const { t } = useTranslation();
  const typed = failure?.values ?? {};
  return (
    <Form method="post" noValidate className="policy-form">
      <FormError failure={failure} />
      <div className="field">
        <label>
          <input type="checkbox" name="enabled" defaultChecked={settings.enabled} /> {t("settingsPage.enabled")}
        </label>
      </div>
      <Field
        label={t("settingsPage.thresholdDays")}
        hint={t("settingsPage.thresholdHint", THRESHOLD_DAYS)}
        name="thresholdDays"
        type="number"
        inputMode="numeric"
        min={THRESHOLD_DAYS.min}
        max={THRESHOLD_DAYS.max}
        defaultValue={typed.thresholdDays ?? settings.thresholdDays}
        error={failure?.fieldErrors?.thresholdDays}
        required
      />
      <Field
        label={t("settingsPage.graceDays")}
        hint={t("settingsPage.graceHint", GRACE_DAYS)}
        name="graceDays"
        type="number"
        inputMode="numeric"
        min={GRACE_DAYS.min}
        max={GRACE_DAYS.max}
        defaultValue={typed.graceDays ?? settings.graceDays}
        error={failure?.fieldErrors?.graceDays}
        required
      />
      <fieldset
        className="role-picker"
        aria-describedby={failure?.fieldErrors?.exemptRoleId ? "exempt-error" : undefined}
      >
        <legend>{t("settingsPage.exemptRoles")}</legend>
        {roles.map((role) => (
          <label key={role.id}>
            <input
              type="checkbox"
              name="exemptRoleId"
              value={role.id}
              defaultChecked={settings.exemptRoleIds.includes(role.id)}
            />{" "}
            <RoleNames roles={[role]} />
          </label>
        ))}
        {failure?.fieldErrors?.exemptRoleId ? (
          <p className="field-error" id="exempt-error" role="alert">
            {t(failure.fieldErrors.exemptRoleId.key)}
          </p>
        ) : null}
      </fieldset>
      <p className="muted">{t("settingsPage.ownerNote")}</p>
      <div className="form-actions">
        <button type="submit" formMethod="get" name="preview" value="1" className="secondary">
          {t("settingsPage.preview")}
        </button>
        <button type="submit">{t("settingsPage.save")}</button>
      </div>
    </Form>
  );
}
