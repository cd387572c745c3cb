// Custom roles: members.manage holders create, rename, re-permission and delete them (built-in roles are fixed).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { actorOf, requirePermission } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { Field, FormError } from "~/components/Field";
import { IntentFailure } from "~/components/IntentForm";
import { RoleNames } from "~/components/RoleNames";
import { failureFor } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { listRoles } from "~/members/roles.server";
import { CustomRole } from "./CustomRole";
import { RoleIntent, roleFormId } from "./intents";
import { handleRoleIntent } from "./intents.server";
import { PermissionChoices } from "./PermissionChoices";

export const handle = { title: "rolesPage.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requirePermission(request, "members.manage");
  return { roles: listRoles(organization.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = actorOf(await requirePermission(request, "members.manage"));
  const parsed = parseForm(await readFormData(request), RoleIntent);
  if (!parsed.ok) return replyFailure(parsed.failure);
  return handleRoleIntent(request, actor, parsed.data);
}

export default function RolesAdmin() {
  const { t } = useTranslation();
  const { roles } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const create = failureFor(reply, "create");
  // A failure no form on the page claims (a request that named no role form, or a role deleted meanwhile) shows on top.
  const formIds = new Set(["create", ...roles.map((role) => roleFormId(role.id))]);
  const unplaced = reply && !formIds.has(reply.formId) ? reply : undefined;
  return (
    <main className="page">
      <h1>{t("rolesPage.title")}</h1>
      <IntentFailure failure={unplaced} />
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
              <CustomRole key={role.id} role={role} roles={roles} reply={reply} />
            ))}
        </ul>
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">{t("rolesPage.createTitle")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <FormError failure={create} />
          <Field
            label={t("rolesPage.name")}
            name="name"
            defaultValue={create?.values?.name}
            error={create?.fieldErrors?.name}
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
