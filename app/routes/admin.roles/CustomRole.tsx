import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConfirmForm } from "~/components/ConfirmForm";
import { Field, FormError } from "~/components/Field";
import { roleLabel } from "~/components/RoleNames";
import { type ActionFailure, failureFor } from "~/lib/forms";
import type { RoleListItem } from "~/members/types";
import { roleFormId } from "./intents";
import { PermissionChoices } from "./PermissionChoices";

/** One custom role: rename and re-permission it, or delete it (moving its holders to another role). */
export function CustomRole({
  role,
  roles,
  reply,
}: {
  role: RoleListItem;
  roles: RoleListItem[];
  reply?: ActionFailure;
}) {
  const { t } = useTranslation();
  const formId = roleFormId(role.id);
  const update = failureFor(reply, "update", formId);
  const remove = failureFor(reply, "delete", formId);
  const others = roles.filter((other) => other.id !== role.id);
  return (
    <li className="role-card">
      <Form method="post" className="role-edit">
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="formId" value={formId} />
        <input type="hidden" name="roleId" value={role.id} />
        <FormError failure={update} />
        <Field
          label={t("rolesPage.name")}
          id={`role-${role.id}-name`}
          name="name"
          defaultValue={update?.values?.name ?? role.name}
          error={update?.fieldErrors?.name}
          required
          maxLength={50}
        />
        <PermissionChoices selected={role.permissions} />
        <button type="submit">{t("rolesPage.save")}</button>
      </Form>
      <ConfirmForm confirmMessage={t("rolesPage.confirmDelete", { name: role.name })} className="role-delete">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="formId" value={formId} />
        <input type="hidden" name="roleId" value={role.id} />
        <FormError failure={remove} />
        {role.memberCount > 0 ? (
          <div className="field">
            <label htmlFor={`reassign-${role.id}`}>{t("rolesPage.reassign", { count: role.memberCount })}</label>
            <select id={`reassign-${role.id}`} name="reassignTo" required>
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {roleLabel(t, other)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className="danger">
          {t("rolesPage.delete", { name: role.name })}
        </button>
      </ConfirmForm>
    </li>
  );
}
