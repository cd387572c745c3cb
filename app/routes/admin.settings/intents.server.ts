// The settings page's action: saves the dormant-account policy through the domain and answers a redirect or a failure.

import type { PolicySettings } from "~/dormant/policy";
import { savePolicy } from "~/dormant/policy.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { replyFailure } from "~/lib/forms.server";
import type { Actor } from "~/members/authority.server";
import { POLICY_FORM } from "./intents";

export function handleSavePolicy(request: Request, actor: Actor, settings: PolicySettings) {
  const result = savePolicy(actor, settings);
  if (!result.ok) {
    const failure = { intent: POLICY_FORM, formId: POLICY_FORM };
    return result.error === "permission"
      ? replyFailure({ ...failure, error: { key: "settingsPage.errors.permission" } }, 403)
      : replyFailure({ ...failure, fieldErrors: { exemptRoleId: { key: "settingsPage.errors.unknownRole" } } }, 400);
  }
  const flash = result.changed ? "settingsPage.flash.saved" : "settingsPage.flash.unchanged";
  return redirectWithFlash(request, { key: flash }, { to: "/admin/settings" });
}
