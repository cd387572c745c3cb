// Invitations: inviting creates the member at once (as invited); the one-time link activates it; revoking removes it.
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Permission } from "~/auth/permissions";
import { hashToken, newToken } from "~/auth/tokens.server";
import { db } from "~/db/client.server";
import { invitations, memberRoles, members, organizations, users } from "~/db/schema";
import { DAY } from "~/lib/time";
import { findRoles, withinPermissions } from "./roles.server";

export const INVITATION_TTL_MS = 7 * DAY;

export type InviteError = "alreadyMember" | "alreadyInvited" | "unknownRole" | "cannotGrant";
export type InviteResult = { ok: true; token: string } | { ok: false; error: InviteError };

/**
 * Invites an email with roles. A user account is created for a new email (no password until they accept);
 * an existing user is linked. Returns the one-time token: only its hash is stored, so this is the one chance to show it.
 */
export function inviteMember(input: {
  organizationId: number;
  email: string;
  /** At least one role; each must grant only permissions the inviter holds. */
  roleIds: number[];
  invitedByUserId: number;
  inviterPermissions: ReadonlySet<Permission>;
  now?: number;
}): InviteResult {
  const now = input.now ?? Date.now();
  const roleIds = [...new Set(input.roleIds)];
  const found = findRoles(input.organizationId, roleIds);
  if (!found || found.length === 0) return { ok: false, error: "unknownRole" };
  if (
    !withinPermissions(
      found.flatMap((role) => role.permissions),
      input.inviterPermissions,
    )
  ) {
    return { ok: false, error: "cannotGrant" };
  }
  const token = newToken();
  return db.transaction((tx): InviteResult => {
    let user = tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
    if (user) {
      const existing = tx
        .select({ joinedAt: members.joinedAt })
        .from(members)
        .where(and(eq(members.organizationId, input.organizationId), eq(members.userId, user.id)))
        .get();
      if (existing) return { ok: false, error: existing.joinedAt === null ? "alreadyInvited" : "alreadyMember" };
    } else {
      user = tx
        .insert(users)
        .values({ email: input.email, name: "", passwordHash: null, createdAt: now })
        .returning({ id: users.id })
        .get();
    }
    const member = tx
      .insert(members)
      .values({ organizationId: input.organizationId, userId: user.id, createdAt: now })
      .returning({ id: members.id })
      .get();
    tx.insert(memberRoles)
      .values(roleIds.map((roleId) => ({ memberId: member.id, roleId })))
      .run();
    tx.insert(invitations)
      .values({
        organizationId: input.organizationId,
        memberId: member.id,
        email: input.email,
        tokenHash: hashToken(token),
        invitedByUserId: input.invitedByUserId,
        createdAt: now,
        expiresAt: now + INVITATION_TTL_MS,
      })
      .run();
    return { ok: true, token };
  });
}

/** Invitations not yet accepted (expired ones included, so admins can renew or revoke them). */
export function listPendingInvitations(organizationId: number) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt)))
    .orderBy(asc(invitations.createdAt))
    .all();
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

/** Issues a new link for a pending invitation (the old link stops working) and restarts its 7 days. */
export function renewInvitation(
  organizationId: number,
  invitationId: number,
  now = Date.now(),
): { email: string; token: string } | null {
  const invitation = findPending(organizationId, invitationId);
  if (!invitation) return null;
  const token = newToken();
  db.update(invitations)
    .set({ tokenHash: hashToken(token), expiresAt: now + INVITATION_TTL_MS })
    .where(eq(invitations.id, invitationId))
    .run();
  return { email: invitation.email, token };
}

/** Revokes an unaccepted invitation: the invited member is removed (and a user created only for it, too). */
export function revokeInvitation(organizationId: number, invitationId: number): boolean {
  const invitation = findPending(organizationId, invitationId);
  if (!invitation) return false;
  db.transaction((tx) => {
    const member = tx.select().from(members).where(eq(members.id, invitation.memberId)).get();
    tx.delete(members).where(eq(members.id, invitation.memberId)).run();
    if (!member) return;
    const user = tx.select().from(users).where(eq(users.id, member.userId)).get();
    const otherMembership = tx.select({ id: members.id }).from(members).where(eq(members.userId, member.userId)).get();
    if (user && user.passwordHash === null && !otherMembership) tx.delete(users).where(eq(users.id, user.id)).run();
  });
  return true;
}

export type InvitationLookup =
  | { state: "unknown" }
  | { state: "used" | "expired"; organizationName: string }
  | {
      state: "valid";
      invitationId: number;
      organizationId: number;
      organizationName: string;
      email: string;
      userId: number;
      userHasPassword: boolean;
    };

/** What a token stands for: unknown (never issued, revoked or renewed), used, expired, or valid. */
export function lookupInvitation(token: string, now = Date.now()): InvitationLookup {
  if (token.length === 0 || token.length > 100) return { state: "unknown" };
  const row = db
    .select({
      invitationId: invitations.id,
      organizationId: invitations.organizationId,
      organizationName: organizations.name,
      email: invitations.email,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      userId: users.id,
      passwordHash: users.passwordHash,
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
  return {
    state: "valid",
    invitationId: row.invitationId,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    email: row.email,
    userId: row.userId,
    userHasPassword: row.passwordHash !== null,
  };
}

/**
 * Accepts an invitation: the member becomes active, and a new user gets their name and password.
 * Conditional on the invitation still being pending and unexpired, so a link works exactly once.
 * The caller records the sign-in (recordSignIn), which also writes the member's activity at once.
 */
export function acceptInvitation(
  invitationId: number,
  newUser: { name: string; passwordHash: string } | null,
  now = Date.now(),
): boolean {
  try {
    return db.transaction((tx) => {
      const claimed = tx
        .update(invitations)
        .set({ acceptedAt: now })
        .where(and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
        .returning({ memberId: invitations.memberId })
        .get();
      if (!claimed) return false;
      const member = tx
        .update(members)
        .set({ joinedAt: now })
        .where(eq(members.id, claimed.memberId))
        .returning({ userId: members.userId })
        .get();
      if (newUser && member) {
        const { changes } = tx
          .update(users)
          .set(newUser)
          .where(and(eq(users.id, member.userId), isNull(users.passwordHash)))
          .run();
        // Someone set this account's password meanwhile (through another invitation): this link may not sign in
        // as that account, so nothing of this acceptance is kept.
        if (changes === 0) throw new PasswordAlreadySetError();
      }
      return true;
    });
  } catch (error) {
    if (error instanceof PasswordAlreadySetError) return false;
    throw error;
  }
}

class PasswordAlreadySetError extends Error {}
