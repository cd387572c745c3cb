// The invitation page's action, one handler per intent: join with a password, email a code, join with the code.
import { json, redirect } from "@remix-run/node";
import { clientAddress } from "~/auth/client-address.server";
import { CODE_DIGITS, CODE_TTL_MS, checkEmailCode, issueEmailCode, normalizeCode } from "~/auth/email-codes.server";
import { hashPassword } from "~/auth/password.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { checkCredentials, redirectSignedIn } from "~/auth/sign-in.server";
import { invitationCodeEmail } from "~/email/invitation-code.server";
import { sendEmail } from "~/email/send.server";
import { i18next } from "~/i18n/i18next.server";
import type { ActionFailure } from "~/lib/forms";
import { replyFailure } from "~/lib/forms.server";
import { MINUTE } from "~/lib/time";
import {
  acceptInvitation,
  acceptWithProvenAddress,
  type InvitationLookup,
  lookupInvitation,
} from "~/members/invitations.server";
import type { InvitationIntent } from "./intents";

export type ValidInvitation = Extract<InvitationLookup, { state: "valid" }>;

export const gone = (state: "used" | "expired" | "withdrawn") =>
  json(
    { reason: { used: "invitationUsed", expired: "invitationExpired", withdrawn: "invitationWithdrawn" }[state] },
    { status: 410 },
  );

/** The invitation behind the link, or a translated 404/410 page for unknown, used, expired and withdrawn links. */
export function validInvitation(token: string | undefined): ValidInvitation {
  const invitation = lookupInvitation(token ?? "");
  if (invitation.state === "unknown") throw json({ reason: "invitationUnknown" }, { status: 404 });
  if (invitation.state !== "valid") throw gone(invitation.state);
  return invitation;
}

/** Accepts (or says why the link no longer works) and signs the invited user in at home. */
function acceptAndSignIn(request: Request, invitation: ValidInvitation, sessionId?: string) {
  const accepted = acceptInvitation(invitation.invitationId);
  if (accepted !== "accepted") throw gone(accepted === "withdrawn" ? "withdrawn" : "used");
  return redirectSignedIn(request, { userId: invitation.userId, organizationId: invitation.organizationId, sessionId });
}

/** Someone signed in as the invited address joins with nothing more. */
export function joinSignedIn(request: Request, invitation: ValidInvitation, sessionId: string) {
  return acceptAndSignIn(request, invitation, sessionId);
}

export function handleInvitationIntent(request: Request, invitation: ValidInvitation, submitted: InvitationIntent) {
  switch (submitted.intent) {
    case "password":
      return joinWithPassword(request, invitation, submitted.password);
    case "sendCode":
      return sendCode(request, invitation);
    case "verify":
      return joinWithCode(request, invitation, submitted);
  }
}

/** An existing account joins with its password; a wrong password and a missing account get the same answer. */
async function joinWithPassword(request: Request, invitation: ValidInvitation, password: string) {
  const credentials = await checkCredentials(invitation.email, password, clientAddress(request));
  if (credentials.status === "rateLimited") {
    return rateLimitedReply(credentials.retryAfterMs, { field: "password", intent: "password" });
  }
  if (credentials.status === "invalid") {
    return replyFailure({
      intent: "password",
      formId: "password",
      fieldErrors: { password: { key: "invitation.wrongPassword" } },
    });
  }
  return acceptAndSignIn(request, invitation);
}

/**
 * Emails a code to the invited address, the same way whether or not it has an account, then shows the code form.
 * Never the code itself in a log line: sendEmail logs only the recipient.
 */
async function sendCode(request: Request, invitation: ValidInvitation) {
  const refuse = (key: string, values: Record<string, number>, status: number, retryAfterSeconds: number) =>
    replyFailure(
      { intent: "sendCode", formId: "sendCode", error: { key, values } },
      { status, headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  const issued = issueEmailCode(invitation.invitationId, invitation.email);
  if (!issued.ok) {
    const minutes = Math.ceil(issued.retryAfterMs / MINUTE);
    return refuse("invitation.sendLimited", { count: minutes }, 429, Math.ceil(issued.retryAfterMs / 1000));
  }
  const message = await invitationCodeEmail({
    to: invitation.email,
    code: issued.code,
    organizationName: invitation.organizationName,
    validMinutes: CODE_TTL_MS / MINUTE,
    locale: await i18next.getLocale(request),
  });
  if (!(await sendEmail(message))) return refuse("invitation.sendFailed", {}, 503, 60);
  const url = new URL(request.url);
  const next = new URLSearchParams({ step: "code" });
  const language = url.searchParams.get("lng");
  if (language) next.set("lng", language);
  return redirect(`${url.pathname}?${next}`);
}

const CODE_ERRORS = {
  wrong: "invitation.codeWrong",
  exhausted: "invitation.codeExhausted",
  addressLocked: "invitation.codeLocked",
  expired: "invitation.codeExpired",
} as const;

/** The emailed code proves the address: the password is set (replacing any), the invitation accepted, all at once. */
async function joinWithCode(
  request: Request,
  invitation: ValidInvitation,
  submitted: Extract<InvitationIntent, { intent: "verify" }>,
) {
  const values = { code: submitted.code, name: submitted.name ?? "" };
  const fail = (fieldErrors: ActionFailure["fieldErrors"], status = 400) =>
    replyFailure({ intent: "verify", formId: "verify", fieldErrors, values }, status);

  const code = normalizeCode(submitted.code);
  if (!code) return fail({ code: { key: "invitation.codeFormat", values: { digits: CODE_DIGITS } } });
  const checked = checkEmailCode(invitation.invitationId, invitation.email, code);
  if (checked.status !== "ok") {
    const locked = checked.status === "exhausted" || checked.status === "addressLocked";
    return fail({ code: { key: CODE_ERRORS[checked.status] } }, locked ? 429 : 400);
  }
  const result = acceptWithProvenAddress(invitation.invitationId, checked.codeId, {
    passwordHash: await hashPassword(submitted.password),
    name: submitted.name ?? null,
  });
  switch (result) {
    case "nameRequired":
      return fail({ name: { key: "invitation.nameRequired" } });
    case "codeUsed":
      return fail({ code: { key: CODE_ERRORS.expired } });
    case "gone":
      throw gone("used");
    case "withdrawn":
      throw gone("withdrawn");
    case "accepted":
      return redirectSignedIn(request, { userId: invitation.userId, organizationId: invitation.organizationId });
  }
}
