// Invitations: inviting creates the member at once (as invited); the one-time link activates it; revoking removes it.
import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import { type AuditEntry, memberAuditLabel, recordAudit } from "~/audit/audit-log.server";
import { redeemEmailCode } from "~/auth/email-codes.server";
import { hashToken, newToken } from "~/auth/tokens.server";
import { db } from "~/db/client.server";
import { invitations, members, organizations, sessions, users } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { DAY } from "~/lib/time";
import { insertUser } from "~/users/user-rows.server";
import { type Actor, canManageMembers, loadStandings, mayChange, standingFrom, within } from "./authority.server";
import { insertMember } from "./member-rows.server";
import { isActiveMembership } from "./members.server";
import { findRoles, memberRoleNames, permissionList, roleNames } from "./roles.server";

export const INVITATION_TTL_MS = 7 * DAY;

export type InviteError = "permission" | "alreadyMember" | "alreadyInvited" | "unknownRole" | "cannotGrant";
export type InviteResult = { ok: true; token: string } | { ok: false; error: InviteError };

/**
 * Invites an email with roles, which must grant only permissions the inviter holds. A user account is created for a
 * new email (no password until they accept); an existing user is linked. Returns the one-time token: only its hash
 * is stored, so this is the one chance to show it.
 */
export function inviteMember(actor: Actor, email: string, roleIds: number[], now = Date.now()): InviteResult {
  if (!canManageMembers(actor)) return { ok: false, error: "permission" };
  const unique = [...new Set(roleIds)];
  const token = newToken();
  return writeTransaction((): InviteResult => {
    const found = findRoles(actor.organizationId, unique);
    if (!found || found.length === 0) return { ok: false, error: "unknownRole" };
    const grant = standingFrom(
      false,
      found.map((role) => role.permissions),
    );
    if (!mayChange(actor, standingFrom(false, []), grant)) return { ok: false, error: "cannotGrant" };
    let user = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (user) {
      const existing = db
        .select({ joinedAt: members.joinedAt })
        .from(members)
        .where(and(eq(members.organizationId, actor.organizationId), eq(members.userId, user.id)))
        .get();
      if (existing) return { ok: false, error: existing.joinedAt === null ? "alreadyInvited" : "alreadyMember" };
    } else {
      user = { id: insertUser(db, { email, name: "", passwordHash: null, now }) };
    }
    const memberId = insertMember(db, {
      organizationId: actor.organizationId,
      userId: user.id,
      roleIds: unique,
      now,
      joinedAt: null,
    });
    const invitation = db
      .insert(invitations)
      .values({
        organizationId: actor.organizationId,
        memberId,
        email,
        tokenHash: hashToken(token),
        invitedByUserId: actor.userId,
        createdAt: now,
        expiresAt: now + INVITATION_TTL_MS,
      })
      .returning({ id: invitations.id })
      .get();
    recordAudit(
      invitationEntry(actor, "member.invited", { id: invitation.id, memberId }, now, {
        status: { before: null, after: "invited" },
        roles: { before: [], after: roleNames(actor.organizationId, unique) },
        permissions: { before: [], after: permissionList(grant.permissions) },
      }),
    );
    return { ok: true, token };
  });
}

/**
 * An audit entry about an invitation. Its target is the invited member (an invitation is one member's way in), so a
 * member's history shows how they were invited; the invitation's id is in the change.
 */
function invitationEntry(
  actor: Actor | { organizationId: number; memberId: number },
  action: "member.invited" | "invitation.renewed" | "invitation.revoked" | "invitation.accepted",
  invitation: { id: number; memberId: number },
  at: number,
  change: AuditEntry["change"],
): AuditEntry {
  return {
    organizationId: actor.organizationId,
    actor,
    action,
    target: {
      type: "member",
      id: invitation.memberId,
      label: memberAuditLabel(actor.organizationId, invitation.memberId),
    },
    change: { invitation: invitation.id, ...change },
    at,
  };
}

/** Invitations not yet accepted (expired ones included, so admins can renew or revoke them). */
/** How many pending invitations the members page lists: the ones expiring first (the list shows the rest as invited). */
export const PENDING_INVITATIONS_SHOWN = 20;

const pending = (organizationId: number) =>
  and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt));

/**
 * The organization's pending invitations, oldest (expiring first) first, at most `limit`: a walk of
 * invitations_organization_pending_idx that never reads accepted ones (a test reads the plan).
 */
export function pendingInvitationsQuery(organizationId: number, limit = PENDING_INVITATIONS_SHOWN) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(pending(organizationId))
    .orderBy(asc(invitations.createdAt), asc(invitations.id))
    .limit(limit);
}

export function listPendingInvitations(organizationId: number, limit = PENDING_INVITATIONS_SHOWN) {
  return pendingInvitationsQuery(organizationId, limit).all();
}

export function countPendingInvitations(organizationId: number): number {
  return db.select({ n: count() }).from(invitations).where(pending(organizationId)).get()?.n ?? 0;
}

function findPending(organizationId: number, invitationId: number) {
  return db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.organizationId, organizationId),
        isNull(invitations.acceptedAt),
      ),
    )
    .get();
}

export type InvitationChangeError = "permission" | "notFound" | "outranked";
export type InvitationChangeResult<T = object> = ({ ok: true } & T) | { ok: false; error: InvitationChangeError };

/**
 * The pending invitation, if the actor may act on it: it grants (through the invited member's roles) only
 * permissions the actor holds, so nobody can reissue or withdraw an invitation to more access than their own.
 */
function pendingWithinAuthority(actor: Actor, invitationId: number) {
  if (!canManageMembers(actor)) return { ok: false as const, error: "permission" as const };
  const invitation = findPending(actor.organizationId, invitationId);
  if (!invitation) return { ok: false as const, error: "notFound" as const };
  const invited = loadStandings(actor.organizationId, [invitation.memberId]).get(invitation.memberId);
  if (!invited) return { ok: false as const, error: "notFound" as const };
  if (!mayChange(actor, invited)) return { ok: false as const, error: "outranked" as const };
  return { ok: true as const, invitation };
}

/**
 * Issues a new link for a pending invitation (the old link stops working), restarts its 7 days and makes the actor
 * its inviter: the link now carries the actor's authority.
 */
export function renewInvitation(
  actor: Actor,
  invitationId: number,
  now = Date.now(),
): InvitationChangeResult<{ email: string; token: string }> {
  const token = newToken();
  return writeTransaction(() => {
    const check = pendingWithinAuthority(actor, invitationId);
    if (!check.ok) return check;
    db.update(invitations)
      .set({ tokenHash: hashToken(token), expiresAt: now + INVITATION_TTL_MS, invitedByUserId: actor.userId })
      .where(eq(invitations.id, invitationId))
      .run();
    recordAudit(
      invitationEntry(actor, "invitation.renewed", check.invitation, now, {
        expiresAt: { before: check.invitation.expiresAt, after: now + INVITATION_TTL_MS },
      }),
    );
    return { ok: true, email: check.invitation.email, token };
  });
}

/** Revokes an unaccepted invitation: the invited member is removed (and a user created only for it, too). */
export function revokeInvitation(actor: Actor, invitationId: number): InvitationChangeResult<{ email: string }> {
  return writeTransaction(() => {
    const check = pendingWithinAuthority(actor, invitationId);
    if (!check.ok) return check;
    const { invitation } = check;
    const member = db.select().from(members).where(eq(members.id, invitation.memberId)).get();
    recordAudit(
      invitationEntry(actor, "invitation.revoked", invitation, Date.now(), {
        status: { before: "invited", after: "removed" },
        roles: { before: memberRoleNames(invitation.memberId), after: [] },
      }),
    );
    db.delete(members).where(eq(members.id, invitation.memberId)).run();
    if (!member) return { ok: true, email: invitation.email };
    const user = db.select().from(users).where(eq(users.id, member.userId)).get();
    const otherMembership = db.select({ id: members.id }).from(members).where(eq(members.userId, member.userId)).get();
    if (user && user.passwordHash === null && !otherMembership) db.delete(users).where(eq(users.id, user.id)).run();
    return { ok: true, email: invitation.email };
  });
}

/**
 * Whether the invitation's inviter still holds everything it grants: an active member of the organization (the owner
 * always does). An invitation carries its inviter's authority; when they lose it, or leave, the link stops working
 * until someone with the authority issues a new one.
 */
function inviterStillAuthorizes(invitation: {
  organizationId: number;
  memberId: number;
  invitedByUserId: number | null;
}) {
  if (invitation.invitedByUserId === null) return false;
  const inviter = db
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.organizationId, invitation.organizationId),
        eq(members.userId, invitation.invitedByUserId),
        isActiveMembership,
      ),
    )
    .get();
  if (!inviter) return false;
  const standings = loadStandings(invitation.organizationId, [inviter.id, invitation.memberId]);
  const inviterStanding = standings.get(inviter.id);
  const invited = standings.get(invitation.memberId);
  return (
    inviterStanding !== undefined && invited !== undefined && within(invited.permissions, inviterStanding.permissions)
  );
}

export type InvitationLookup =
  | { state: "unknown" }
  | { state: "used" | "expired" | "withdrawn"; organizationName: string }
  | {
      state: "valid";
      invitationId: number;
      organizationId: number;
      organizationName: string;
      email: string;
      userId: number;
    };

/**
 * What a token stands for: unknown (never issued, revoked or renewed), used, expired, withdrawn (its inviter no longer
 * holds what it grants), or valid.
 */
export function lookupInvitation(token: string, now = Date.now()): InvitationLookup {
  if (token.length === 0 || token.length > 100) return { state: "unknown" };
  const row = db
    .select({
      invitationId: invitations.id,
      organizationId: invitations.organizationId,
      memberId: invitations.memberId,
      invitedByUserId: invitations.invitedByUserId,
      organizationName: organizations.name,
      email: invitations.email,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      userId: users.id,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .innerJoin(members, eq(members.id, invitations.memberId))
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(invitations.tokenHash, hashToken(token)))
    .get();
  if (!row) return { state: "unknown" };
  if (row.acceptedAt !== null) return { state: "used", organizationName: row.organizationName };
  if (row.expiresAt <= now) return { state: "expired", organizationName: row.organizationName };
  if (!inviterStillAuthorizes(row)) return { state: "withdrawn", organizationName: row.organizationName };
  return {
    state: "valid",
    invitationId: row.invitationId,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    email: row.email,
    userId: row.userId,
  };
}

export type AcceptResult = "accepted" | "gone" | "withdrawn";

/**
 * Accepts an invitation: the member becomes active. Conditional on the invitation still being pending and unexpired, so
 * a link works exactly once, and on its inviter still holding what it grants ("withdrawn" otherwise). "gone" covers a
 * link used, expired or revoked meanwhile. It sets no password: only acceptWithProvenAddress may, after an emailed
 * code proved the address (docs/decisions/010-proving-email-addresses.md). The caller records the sign-in
 * (recordSignIn), which also writes the member's activity at once.
 */
export function acceptInvitation(invitationId: number, now = Date.now()): AcceptResult {
  return writeTransaction((): AcceptResult => {
    const pending = db
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .get();
    if (!pending) return "gone";
    if (!inviterStillAuthorizes(pending)) return "withdrawn";
    db.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invitationId)).run();
    db.update(members).set({ joinedAt: now }).where(eq(members.id, pending.memberId)).run();
    // The invited member accepts for themselves: they are the actor.
    recordAudit(
      invitationEntry(pending, "invitation.accepted", { id: pending.id, memberId: pending.memberId }, now, {
        status: { before: "invited", after: "active" },
      }),
    );
    return "accepted";
  });
}

export type ProvenAcceptResult = AcceptResult | "codeUsed" | "nameRequired";

/**
 * Accepts an invitation for someone who proved the invited address with the emailed code `codeId` (checked by
 * checkEmailCode): the code is used up; the account gets the new password, replacing any it had (whoever set that did
 * not prove the address, or is this person again), and the typed name or else the one it has ("nameRequired" when a new
 * account gets none); every session of the account ends (a squatter's too); the invitation is accepted through
 * acceptInvitation. All of it in one transaction, or nothing.
 */
export function acceptWithProvenAddress(
  invitationId: number,
  codeId: number,
  account: { passwordHash: string; name: string | null },
  now = Date.now(),
): ProvenAcceptResult {
  try {
    return writeTransaction((): ProvenAcceptResult => {
      const user = db
        .select({ id: users.id, name: users.name })
        .from(invitations)
        .innerJoin(members, eq(members.id, invitations.memberId))
        .innerJoin(users, eq(users.id, members.userId))
        .where(eq(invitations.id, invitationId))
        .get();
      if (!user) return "gone";
      const name = account.name ?? (user.name === "" ? null : user.name);
      if (name === null) return "nameRequired";
      if (!redeemEmailCode(codeId, invitationId, now)) return "codeUsed";
      // Named before accepting, so the acceptance's audit entry names them.
      db.update(users).set({ passwordHash: account.passwordHash, name }).where(eq(users.id, user.id)).run();
      const accepted = acceptInvitation(invitationId, now);
      // Nothing of this transaction may stay when the invitation cannot be accepted (the code and name included).
      if (accepted !== "accepted") throw new RollBack(accepted);
      db.delete(sessions).where(eq(sessions.userId, user.id)).run();
      return "accepted";
    });
  } catch (error) {
    if (error instanceof RollBack) return error.result;
    throw error;
  }
}

class RollBack extends Error {
  constructor(readonly result: AcceptResult) {
    super(`rolled back: ${result}`);
  }
}
