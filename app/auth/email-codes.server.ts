// One-time codes emailed to an invited address, the only proof that someone holds the mailbox: issued under sending
// limits, checked under a wrong-code limit, redeemed once (docs/decisions/010-proving-email-addresses.md).
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { and, asc, desc, eq, gt, isNull, lt, type SQL, sum } from "drizzle-orm";
import { db } from "~/db/client.server";
import { emailCodes } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { DAY, HOUR, MINUTE } from "~/lib/time";

export const CODE_TTL_MS = 15 * MINUTE;
export const CODE_DIGITS = 6;
/** Wrong codes entered against one code before it stops working. */
export const MAX_WRONG_CODES = 5;
/**
 * Wrong codes an address may see in 24 hours, across all its codes and invitations: whoever holds a link for an
 * address gets at most 10 guesses a day at one in a million each, however many codes they have sent.
 */
export const MAX_WRONG_CODES_PER_ADDRESS_PER_DAY = 10;

/** At most this many codes per invitation and per address in each window: nobody can bomb a mailbox through a link. */
export const SEND_LIMITS = [
  { per: "invitation", max: 3, windowMs: HOUR },
  { per: "address", max: 5, windowMs: HOUR },
  { per: "address", max: 10, windowMs: DAY },
] as const;

/** The stored form of a code: bound to the invitation and the address, so it proves nothing about any other. */
function hashCode(invitationId: number, email: string, code: string): string {
  return createHash("sha256").update(`roster-email-code\0${invitationId}\0${email}\0${code}`).digest("base64url");
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A code as people type it ("123 456", "123-456"): its digits, or null when that is not a code at all. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits) ? digits : null;
}

export type IssueResult = { ok: true; code: string } | { ok: false; retryAfterMs: number };

/**
 * A new code for the invitation and its address, unless a sending limit is reached (then how long until one may be
 * sent). The newest code replaces earlier ones: only it can be redeemed. Returns the code itself, once, for the email.
 */
export function issueEmailCode(invitationId: number, email: string, now = Date.now()): IssueResult {
  return writeTransaction((): IssueResult => {
    // Rows older than the longest window count for nothing any more.
    db.delete(emailCodes)
      .where(lt(emailCodes.createdAt, now - DAY))
      .run();
    let retryAfterMs = 0;
    for (const limit of SEND_LIMITS) {
      const scope: SQL | undefined =
        limit.per === "invitation" ? eq(emailCodes.invitationId, invitationId) : eq(emailCodes.email, email);
      const sent = db
        .select({ createdAt: emailCodes.createdAt })
        .from(emailCodes)
        .where(and(scope, gt(emailCodes.createdAt, now - limit.windowMs)))
        .orderBy(asc(emailCodes.createdAt))
        .all();
      // Sending is allowed again once enough of these have left the window to bring the count below the limit.
      const leaving = sent[sent.length - limit.max];
      if (leaving) retryAfterMs = Math.max(retryAfterMs, leaving.createdAt + limit.windowMs - now);
    }
    if (retryAfterMs > 0) return { ok: false, retryAfterMs };
    const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
    db.insert(emailCodes)
      .values({
        invitationId,
        email,
        codeHash: hashCode(invitationId, email, code),
        createdAt: now,
        expiresAt: now + CODE_TTL_MS,
      })
      .run();
    return { ok: true, code };
  });
}

export type CheckResult =
  | { status: "ok"; codeId: number }
  | { status: "wrong" }
  | { status: "exhausted" }
  | { status: "addressLocked" }
  | { status: "expired" };

/**
 * Checks a code against the newest one sent for the invitation and address. A wrong code counts against it; at
 * MAX_WRONG_CODES it stops working ("exhausted"), and at MAX_WRONG_CODES_PER_ADDRESS_PER_DAY wrong codes for the
 * address in 24 hours no code is checked for it ("addressLocked"). "expired" covers expired, used and never sent. A
 * correct code is not used up here: redeemEmailCode does that in the same transaction as what the proof allows.
 */
export function checkEmailCode(invitationId: number, email: string, code: string, now = Date.now()): CheckResult {
  const presented = hashCode(invitationId, email, code);
  return writeTransaction((): CheckResult => {
    const latest = db
      .select()
      .from(emailCodes)
      .where(and(eq(emailCodes.invitationId, invitationId), eq(emailCodes.email, email)))
      .orderBy(desc(emailCodes.createdAt), desc(emailCodes.id))
      .limit(1)
      .get();
    if (!latest || latest.usedAt !== null || latest.expiresAt <= now) return { status: "expired" };
    if (latest.attempts >= MAX_WRONG_CODES) return { status: "exhausted" };
    const wrongToday =
      db
        .select({ total: sum(emailCodes.attempts) })
        .from(emailCodes)
        .where(and(eq(emailCodes.email, email), gt(emailCodes.createdAt, now - DAY)))
        .get()?.total ?? 0;
    if (Number(wrongToday) >= MAX_WRONG_CODES_PER_ADDRESS_PER_DAY) return { status: "addressLocked" };
    if (sameHash(latest.codeHash, presented)) return { status: "ok", codeId: latest.id };
    db.update(emailCodes)
      .set({ attempts: latest.attempts + 1 })
      .where(eq(emailCodes.id, latest.id))
      .run();
    if (Number(wrongToday) + 1 >= MAX_WRONG_CODES_PER_ADDRESS_PER_DAY) return { status: "addressLocked" };
    return latest.attempts + 1 >= MAX_WRONG_CODES ? { status: "exhausted" } : { status: "wrong" };
  });
}

/**
 * Uses up a code checkEmailCode accepted, if it is still live (unused, unexpired, under the wrong-code limit). Call it
 * inside the write transaction that does what the proof allows, so that both happen or neither.
 */
export function redeemEmailCode(codeId: number, invitationId: number, now = Date.now()): boolean {
  const { changes } = db
    .update(emailCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailCodes.id, codeId),
        eq(emailCodes.invitationId, invitationId),
        isNull(emailCodes.usedAt),
        gt(emailCodes.expiresAt, now),
        lt(emailCodes.attempts, MAX_WRONG_CODES),
      ),
    )
    .run();
  return changes === 1;
}
