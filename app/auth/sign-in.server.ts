// Checks passwords under the sign-in rate limits, and picks the organization a sign-in lands in.
import { redirect } from "@remix-run/node";
import { and, desc, eq } from "drizzle-orm";
import { recordActivityNow } from "~/activity/activity.server";
import { db } from "~/db/client.server";
import { members } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { isActiveMembership } from "~/members/members.server";
import { findUserByEmail, isCurrentPassword } from "~/users/users.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { createSession, setSessionOrganization } from "./session.server";
import { signInLimits } from "./sign-in-limits.server";

export type SignInResult =
  | { status: "ok"; userId: number; organizationId: number; locale: string | null }
  | { status: "invalid" }
  | { status: "noOrganization" }
  | { status: "rateLimited"; retryAfterMs: number };

/** The organization a user lands in: the active membership signed in to most recently. */
function landingOrganization(userId: number): number | undefined {
  return db
    .select({ organizationId: members.organizationId })
    .from(members)
    .where(and(eq(members.userId, userId), isActiveMembership))
    .orderBy(desc(members.lastSignInAt), desc(members.id))
    .limit(1)
    .get()?.organizationId;
}

type CredentialsResult =
  | { status: "ok"; user: NonNullable<ReturnType<typeof findUserByEmail>> }
  | { status: "invalid" }
  | { status: "rateLimited"; retryAfterMs: number };

/** Verifies an email and password under the sign-in rate limits (also used when accepting an invitation). */
export async function checkCredentials(
  email: string,
  password: string,
  address: string | null,
): Promise<CredentialsResult> {
  const result = await signInLimits.check(email, address, async () => {
    const user = findUserByEmail(email);
    const valid = user?.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password);
    return user && valid ? user : null;
  });
  return result.status === "ok" ? { status: "ok", user: result.value } : result;
}

/**
 * Checks a signed-in user's current password (before a password change) under the same limits as signing in, on the
 * same per-email count: a stolen session gets no more guesses than the sign-in form.
 */
export async function checkCurrentPassword(
  user: { id: number; email: string },
  password: string,
  address: string | null,
): Promise<{ status: "ok" } | { status: "invalid" } | { status: "rateLimited"; retryAfterMs: number }> {
  const result = await signInLimits.check(user.email, address, async () =>
    (await isCurrentPassword(user.id, password)) ? true : null,
  );
  return result.status === "ok" ? { status: "ok" } : result;
}

export async function signIn(email: string, password: string, address: string | null): Promise<SignInResult> {
  const credentials = await checkCredentials(email, password, address);
  if (credentials.status !== "ok") return credentials;
  const { user } = credentials;
  const organizationId = landingOrganization(user.id);
  if (organizationId === undefined) return { status: "noOrganization" };
  return { status: "ok", userId: user.id, organizationId, locale: user.locale };
}

/**
 * Records a sign-in to an organization (sign-in, first-run setup, invitation acceptance, switching to it). A sign-in is
 * activity, written at once rather than debounced, like invitation acceptance and switching organization (SPEC §4).
 */
export function recordSignIn(userId: number, organizationId: number, now = Date.now()): void {
  const member = writeTransaction(() =>
    db
      .update(members)
      .set({ lastSignInAt: now })
      .where(and(eq(members.userId, userId), eq(members.organizationId, organizationId)))
      .returning({ id: members.id })
      .get(),
  );
  if (member) recordActivityNow(member.id, now);
}

/**
 * The one way into an organization (sign-in, first-run setup, invitation acceptance, a new organization, switching):
 * records the sign-in (activity at once), then either moves the current session (`sessionId`) to the organization or
 * starts a fresh one (sessions rotate at sign-in), and redirects with the session cookie and any other headers.
 */
export async function redirectSignedIn(
  request: Request,
  {
    userId,
    organizationId,
    sessionId,
    to = "/",
    headers = {},
  }: { userId: number; organizationId: number; sessionId?: string; to?: string; headers?: HeadersInit },
): Promise<Response> {
  recordSignIn(userId, organizationId);
  const responseHeaders = new Headers(headers);
  if (sessionId === undefined)
    responseHeaders.append("Set-Cookie", await createSession(request, userId, organizationId));
  else setSessionOrganization(sessionId, organizationId);
  return redirect(to, { headers: responseHeaders });
}
