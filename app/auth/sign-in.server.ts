// Checks credentials with per-email and per-address rate limits, and picks the organization a sign-in lands in.
import { and, desc, eq } from "drizzle-orm";
import { recordActivityNow } from "~/activity/activity.server";
import { db } from "~/db/client.server";
import { members } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { env } from "~/env.server";
import { MINUTE } from "~/lib/time";
import { isActiveMembership } from "~/members/members.server";
import { findUserByEmail } from "~/users/users.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { createRateLimiter } from "./rate-limit.server";

const WINDOW_MS = 15 * MINUTE;
const perEmail = createRateLimiter({ maxFailures: 5, windowMs: WINDOW_MS });
const perAddress = createRateLimiter({ maxFailures: 30, windowMs: WINDOW_MS });

/**
 * The client's address as Fly's proxy reports it, or null when not behind it: remix-serve does not expose the socket
 * address, and a header a client can set would let anyone dodge (or trip, for everyone) a per-address limit.
 */
export function clientAddress(request: Request): string | null {
  return env.behindFlyProxy ? request.headers.get("Fly-Client-IP") : null;
}

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
  const retryAfterMs = Math.max(perEmail.retryAfterMs(email), address ? perAddress.retryAfterMs(address) : 0);
  if (retryAfterMs > 0) return { status: "rateLimited", retryAfterMs };

  const user = findUserByEmail(email);
  const valid = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstDummy(password);
  if (!user || !valid) {
    perEmail.recordFailure(email);
    if (address) perAddress.recordFailure(address);
    return { status: "invalid" };
  }
  perEmail.reset(email);
  return { status: "ok", user };
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
 * activity, written at once rather than debounced (SPEC §4).
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
