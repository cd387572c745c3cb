// The members page's action, one handler per intent: each calls the domain (which holds every authority rule) and
// answers a redirect back to the page with a flash message, or a failure on the form it came from.
import { env } from "~/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { Confirmation } from "~/lib/forms";
import { replyFailure } from "~/lib/forms.server";
import type { Actor } from "~/members/authority.server";
import {
  type InvitationChangeError,
  type InviteError,
  inviteMember,
  renewInvitation,
  revokeInvitation,
} from "~/members/invitations.server";
import { dormantMembersFor, memberLabel } from "~/members/member-list.server";
import {
  deactivateMembers,
  type MemberChangeError,
  type MemberChangeResult,
  reactivateMember,
  removeMember,
  setMemberRoles,
} from "~/members/members.server";
import { invitationFormId, type MemberIntent, memberFormId } from "./intents";

type Refusal = MemberChangeError | InviteError | InvitationChangeError;

/** Each refusal's status; its message is `members.errors.<refusal>`. */
const refusalStatus: Record<Refusal, number> = {
  permission: 403,
  outranked: 403,
  ownerProtected: 403,
  self: 403,
  cannotGrant: 403,
  notFound: 404,
  noRoles: 400,
  unknownRole: 400,
  alreadyMember: 409,
  alreadyInvited: 409,
};

type Submitted<I extends MemberIntent["intent"]> = Extract<MemberIntent, { intent: I }>;

function refuse(intent: MemberIntent["intent"], formId: string, error: Refusal) {
  return replyFailure({ intent, formId, error: { key: `members.errors.${error}` } }, refusalStatus[error]);
}

/**
 * A change to one member: a refusal beside their row, or back to the page naming them (looked up first: a removed
 * member is gone afterwards).
 */
function changeMember(
  request: Request,
  actor: Actor,
  submitted: { intent: MemberIntent["intent"]; memberId: number },
  flashKey: string,
  change: () => MemberChangeResult,
) {
  const name = memberLabel(actor.organizationId, submitted.memberId) ?? "";
  const result = change();
  if (!result.ok) return refuse(submitted.intent, memberFormId(submitted.memberId), result.error);
  return redirectWithFlash(request, { key: flashKey, values: { name } });
}

/** On the configured public origin: Host and X-Forwarded-* are whatever the client sent. */
function invitationLink(token: string): string {
  return new URL(`/invite/${token}`, env.publicOrigin).href;
}

/** Where the invite form shows each refusal: on the field it is about, or (none) above the form. */
const inviteRefusalField: Partial<Record<InviteError, "email" | "roleId">> = {
  alreadyMember: "email",
  alreadyInvited: "email",
  unknownRole: "roleId",
  cannotGrant: "roleId",
};

function invite(request: Request, actor: Actor, submitted: Submitted<"invite">) {
  const { email } = submitted;
  const result = inviteMember(actor, email, submitted.roleId);
  if (!result.ok) {
    const message = { key: `members.errors.${result.error}` };
    const field = inviteRefusalField[result.error];
    return replyFailure(
      {
        intent: "invite",
        formId: "invite",
        values: { email },
        ...(field ? { fieldErrors: { [field]: message } } : { error: message }),
      },
      refusalStatus[result.error],
    );
  }
  // The link is the one chance to see the token (only its hash is stored): it travels once, in the flash.
  return redirectWithFlash(request, {
    key: "members.flash.invited",
    values: { email },
    link: invitationLink(result.token),
  });
}

function setRoles(request: Request, actor: Actor, submitted: Submitted<"setRoles">) {
  return changeMember(request, actor, submitted, "members.flash.rolesChanged", () =>
    setMemberRoles(actor, submitted.memberId, submitted.roleId),
  );
}

function deactivate(request: Request, actor: Actor, submitted: Submitted<"deactivate">) {
  return changeMember(request, actor, submitted, "members.flash.deactivatedNamed", () =>
    deactivateMembers(actor, [submitted.memberId], "one"),
  );
}

function reactivate(request: Request, actor: Actor, submitted: Submitted<"reactivate">) {
  return changeMember(request, actor, submitted, "members.flash.reactivated", () =>
    reactivateMember(actor, submitted.memberId),
  );
}

function remove(request: Request, actor: Actor, submitted: Submitted<"remove">) {
  return changeMember(request, actor, submitted, "members.flash.removed", () =>
    removeMember(actor, submitted.memberId),
  );
}

/**
 * Bulk deactivation asks first, on the server, so the question holds without JavaScript too: unless confirmed, the
 * reply is the failure shape with `confirm` (the same form again with confirmed=yes) and status 200, since nothing
 * went wrong: the request was understood and simply not acted on yet. Refusals show above the list.
 */
function deactivateMany(
  request: Request,
  actor: Actor,
  submitted: Submitted<"deactivateSelected" | "deactivateDormant">,
  memberIds: number[],
  confirm: Omit<Confirmation, "button">,
) {
  const count = memberIds.length;
  if (count > 0 && !submitted.confirmed) {
    const button = { key: "members.confirmDeactivation", values: { count } };
    return replyFailure({ intent: submitted.intent, formId: submitted.intent, confirm: { ...confirm, button } }, 200);
  }
  const kind = submitted.intent === "deactivateDormant" ? "dormant" : "selected";
  const result = count > 0 ? deactivateMembers(actor, memberIds, kind) : ({ ok: true } as const);
  if (!result.ok) return refuse(submitted.intent, submitted.intent, result.error);
  return redirectWithFlash(request, { key: "members.flash.deactivated", values: { count } });
}

function deactivateSelected(request: Request, actor: Actor, submitted: Submitted<"deactivateSelected">) {
  const memberIds = [...new Set(submitted.memberId)];
  return deactivateMany(request, actor, submitted, memberIds, {
    question: { key: "members.confirmDeactivateSelected", values: { count: memberIds.length } },
    fields: memberIds.map((id) => ["memberId", String(id)]),
  });
}

function deactivateDormant(request: Request, actor: Actor, submitted: Submitted<"deactivateDormant">, now: number) {
  const { intent, asOf } = submitted;
  const dormant = dormantMembersFor(actor, asOf);
  if (!dormant.ok) return refuse(intent, intent, dormant.error);
  // The page's own `now`: a time still to come would pick members who are not dormant yet.
  if (asOf > now) return replyFailure({ intent, formId: intent, error: { key: "members.errors.badRequest" } });
  return deactivateMany(request, actor, submitted, dormant.memberIds, {
    question: { key: "members.confirmDeactivateDormant", values: { count: dormant.memberIds.length } },
    fields: [["asOf", String(asOf)]],
  });
}

function renew(request: Request, actor: Actor, submitted: Submitted<"renewInvitation">) {
  const result = renewInvitation(actor, submitted.invitationId);
  if (!result.ok) return refuse(submitted.intent, invitationFormId(submitted.invitationId), result.error);
  return redirectWithFlash(request, {
    key: "members.flash.renewed",
    values: { email: result.email },
    link: invitationLink(result.token),
  });
}

function revoke(request: Request, actor: Actor, submitted: Submitted<"revokeInvitation">) {
  const result = revokeInvitation(actor, submitted.invitationId);
  if (!result.ok) return refuse(submitted.intent, invitationFormId(submitted.invitationId), result.error);
  return redirectWithFlash(request, { key: "members.flash.revoked", values: { email: result.email } });
}

export function handleMemberIntent(request: Request, actor: Actor, submitted: MemberIntent, now = Date.now()) {
  switch (submitted.intent) {
    case "invite":
      return invite(request, actor, submitted);
    case "setRoles":
      return setRoles(request, actor, submitted);
    case "deactivate":
      return deactivate(request, actor, submitted);
    case "reactivate":
      return reactivate(request, actor, submitted);
    case "remove":
      return remove(request, actor, submitted);
    case "deactivateSelected":
      return deactivateSelected(request, actor, submitted);
    case "deactivateDormant":
      return deactivateDormant(request, actor, submitted, now);
    case "renewInvitation":
      return renew(request, actor, submitted);
    case "revokeInvitation":
      return revoke(request, actor, submitted);
  }
}
