// Custom roles: members.manage holders create, rename, re-permission and delete them (built-in roles are fixed).
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { isPermission, PERMISSIONS, type Permission } from "~/auth/permissions";
import { actorOf, requirePermission } from "~/auth/session.server";
import { ConfirmForm } from "~/components/ConfirmForm";
import { ErrorPage } from "~/components/ErrorPage";
import { Field } from "~/components/Field";
import { RoleNames } from "~/components/RoleNames";
import { type FormFailure, formFailure, parseForm, readFormData, textField } from "~/lib/forms.server";
import { parseId } from "~/lib/ids";
import {
  createRole,
  deleteRole,
  listRoles,
  type RoleChangeError,
  type RoleListItem,
  updateRole,
} from "~/members/roles.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requirePermission(request, "members.manage");
  return { roles: listRoles(organization.id) };
}

const RoleForm = () => z.object({ name: textField(50) });

const errorStatus: Record<RoleChangeError, number> = {
  permission: 403,
  outranked: 403,
  notFound: 404,
  builtin: 403,
  duplicateName: 409,
  reassignRequired: 400,
  reassignInvalid: 400,
  cannotGrant: 403,
};

function permissionsFrom(formData: FormData): Permission[] | null {
  const values = formData.getAll("permission");
  return values.every((value): value is Permission => typeof value === "string" && isPermission(value))
    ? [...new Set(values)]
    : null;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = actorOf(await requirePermission(request, "members.manage"));
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const roleId = parseId(formData.get("roleId"));
  let result: ReturnType<typeof createRole>;

  if (intent === "create" || intent === "update") {
    const parsed = parseForm(formData, RoleForm());
    if (!parsed.ok) return formFailure({ ...parsed.failure, intent: `${intent}:${roleId ?? ""}` });
    const permissions = permissionsFrom(formData);
    if (!permissions) return json({ error: "badRequest" as const }, { status: 400 });
    if (intent === "create") result = createRole(actor, parsed.data.name, permissions);
    else if (roleId === null) return json({ error: "badRequest" as const }, { status: 400 });
    else result = updateRole(actor, roleId, parsed.data.name, permissions);
  } else if (intent === "delete" && roleId !== null) {
    const reassignRaw = formData.get("reassignTo");
    const reassignTo = reassignRaw ? parseId(reassignRaw) : undefined;
    if (reassignTo === null) return json({ error: "badRequest" as const }, { status: 400 });
    result = deleteRole(actor, roleId, reassignTo);
  } else {
    return json({ error: "badRequest" as const }, { status: 400 });
  }

  if (!result.ok) return json({ error: result.error }, { status: errorStatus[result.error] });
  return json({ done: intent });
}

function PermissionChoices({ selected }: { selected: readonly string[] }) {
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

function CustomRole({ role, roles, failure }: { role: RoleListItem; roles: RoleListItem[]; failure?: FormFailure }) {
  const { t } = useTranslation();
  const mine = failure?.intent === `update:${role.id}` ? failure : undefined;
  const others = roles.filter((other) => other.id !== role.id);
  return (
    <li className="role-card">
      <Form method="post" className="role-edit">
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="roleId" value={role.id} />
        <Field
          label={t("rolesPage.name")}
          id={`role-${role.id}-name`}
          name="name"
          defaultValue={mine ? mine.values.name : role.name}
          error={mine?.errors.name}
          required
          maxLength={50}
        />
        <PermissionChoices selected={role.permissions} />
        <button type="submit">{t("rolesPage.save")}</button>
      </Form>
      <ConfirmForm confirmMessage={t("rolesPage.confirmDelete", { name: role.name })} className="role-delete">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="roleId" value={role.id} />
        {role.memberCount > 0 ? (
          <div className="field">
            <label htmlFor={`reassign-${role.id}`}>{t("rolesPage.reassign", { count: role.memberCount })}</label>
            <select id={`reassign-${role.id}`} name="reassignTo" required>
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.builtin ? t(`roles.builtin.${other.builtin}`) : other.name}
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

export default function RolesAdmin() {
  const { t } = useTranslation();
  const { roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && "errors" in result ? result : undefined;
  return (
    <main className="page">
      <h1>{t("rolesPage.title")}</h1>
      {result && "error" in result ? (
        <p className="form-error" role="alert">
          {t(`rolesPage.errors.${result.error}`)}
        </p>
      ) : null}
      <section aria-labelledby="builtin-heading">
        <h2 id="builtin-heading">{t("rolesPage.builtinTitle")}</h2>
        <ul>
          {roles
            .filter((role) => role.builtin)
            .map((role) => (
              <li key={role.id}>
                <strong>
                  <RoleNames roles={[role]} />
                </strong>
                {" — "}
                {role.permissions.length > 0
                  ? role.permissions.map((permission) => t(`permissions.${permission}`)).join(", ")
                  : t("rolesPage.noPermissions")}
              </li>
            ))}
        </ul>
      </section>
      <section aria-labelledby="custom-heading">
        <h2 id="custom-heading">{t("rolesPage.customTitle")}</h2>
        <ul className="role-list">
          {roles
            .filter((role) => !role.builtin)
            .map((role) => (
              <CustomRole key={role.id} role={role} roles={roles} failure={failure} />
            ))}
        </ul>
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">{t("rolesPage.createTitle")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <Field
            label={t("rolesPage.name")}
            name="name"
            defaultValue={failure?.intent === "create:" ? failure.values.name : undefined}
            error={failure?.intent === "create:" ? failure.errors.name : undefined}
            required
            maxLength={50}
          />
          <PermissionChoices selected={[]} />
          <button type="submit">{t("rolesPage.create")}</button>
        </Form>
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
