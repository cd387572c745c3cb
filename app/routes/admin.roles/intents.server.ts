// The roles page's action, one handler per intent: each calls the domain and answers a redirect or a failure.

import { redirectWithFlash } from "~/lib/flash.server";
import { replyFailure } from "~/lib/forms.server";
import type { Actor } from "~/members/authority.server";
import { createRole, deleteRole, listRoles, type RoleChangeResult, updateRole } from "~/members/roles.server";
import { type RoleIntent, roleFormId } from "./intents";

const refusalStatus = {
  permission: 403,
  outranked: 403,
  notFound: 404,
  builtin: 403,
  duplicateName: 409,
  reassignRequired: 400,
  reassignInvalid: 400,
  cannotGrant: 403,
} as const;

/** A refusal on the form it came from, or the redirect back to the page with the flash message. */
function answer(request: Request, submitted: RoleIntent, result: RoleChangeResult, flash: string, name: string) {
  const formId = submitted.intent === "create" ? "create" : roleFormId(submitted.roleId);
  if (!result.ok) {
    return replyFailure(
      { intent: submitted.intent, formId, error: { key: `rolesPage.errors.${result.error}` } },
      refusalStatus[result.error],
    );
  }
  return redirectWithFlash(request, { key: flash, values: { name } });
}

export function handleRoleIntent(request: Request, actor: Actor, submitted: RoleIntent) {
  switch (submitted.intent) {
    case "create":
      return answer(
        request,
        submitted,
        createRole(actor, submitted.name, submitted.permission),
        "rolesPage.flash.created",
        submitted.name,
      );
    case "update":
      return answer(
        request,
        submitted,
        updateRole(actor, submitted.roleId, submitted.name, submitted.permission),
        "rolesPage.flash.saved",
        submitted.name,
      );
    case "delete": {
      const name = listRoles(actor.organizationId).find((role) => role.id === submitted.roleId)?.name ?? "";
      return answer(
        request,
        submitted,
        deleteRole(actor, submitted.roleId, submitted.reassignTo),
        "rolesPage.flash.deleted",
        name,
      );
    }
  }
}
