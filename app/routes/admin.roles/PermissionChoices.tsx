import { useTranslation } from "react-i18next";
import { PERMISSIONS } from "~/auth/permissions";

/** The permission checkboxes of a role form. */
export function PermissionChoices({ selected }: { selected: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="role-picker">
      <legend>{t("rolesPage.permissions")}</legend>
      {PERMISSIONS.map((permission) => (
        <label key={permission}>
          <input type="checkbox" name="permission" value={permission} defaultChecked={selected.includes(permission)} />{" "}
          {t(`permissions.${permission}`)}
        </label>
      ))}
    </fieldset>
  );
}
