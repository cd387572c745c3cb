// Member queries and the rules for changing them: roles, deactivation, reactivation, removal — always within one organization.
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Permission } from "~/auth/permissions";
import { db } from "~/db/client.server";
import { memberRoles, members, users } from "~/db/schema";
import { findRoles, withinPermissions } from "./roles.server";

export type MemberStatus = "active" | "invited" | "deactivated";

export interface RoleRef {
  id: number;
  name: string;
  builtin: "admin" | "member" | null;
}

export function memberStatus(member: { joinedAt: number | null; deactivatedAt: number | null }): MemberStatus {
  if (member.deactivatedAt !== null) return "deactivated";
  return member.joinedAt === null ? "invited" : "active";
}

/** SQL: the member has accepted and is not deactivated (mirrors isActiveMember on a loaded session). */
export const isActiveMembership = and(isNotNull(members.joinedAt), isNull(members.deactivatedAt));

/** A member's roles as a JSON array of RoleRef (with permissions), by name (a correlated subquery on `members`). */
export const roleList = sql<string>`(
  select json_group_array(json_object('id', r.id, 'name', r.name, 'builtin', r.builtin, 'permissions', json(r.permissions)))
  from (select r.id, r.name, r.builtin, r.permissions from member_roles mr join roles r on r.id = mr.role_id
        where mr.member_id = ${members.id} order by r.name) r)`;

/** Active members' names and roles for the directory: no emails, no activity. */
export function listDirectory(organizationId: number) {
  return db
    .select({ id: members.id, name: users.name, isOwner: members.isOwner, roles: roleList })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), isActiveMembership))
    .orderBy(asc(users.name))
    .all()
    .map((row) => ({ ...row, roles: JSON.parse(row.roles) as RoleRef[] }));
}

/** The member only if it belongs to this organization: ids from elsewhere are never acted on. */
function findMember(organizationId: number, memberId: number) {
  return db
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.organizationId, organizationId)))
    .get();
}

export type MemberChangeError = "notFound" | "ownerProtected" | "self" | "noRoles" | "unknownRole" | "cannotGrant";
export type MemberChangeResult = { ok: true } | { ok: false; error: MemberChangeError };

export interface Actor {
  organizationId: number;
  memberId: number;
  isOwner: boolean;
  permissions: ReadonlySet<Permission>;
}

/**
 * Replaces a member's roles. Only the owner may change the owner's roles (they keep every permission regardless).
 * Every role added or taken away must grant only permissions the actor holds: a manager cannot make themselves
 * (or anyone) an activity viewer, nor demote someone with more access than they have.
 */
export function setMemberRoles(actor: Actor, memberId: number, roleIds: number[]): MemberChangeResult {
  const member = findMember(actor.organizationId, memberId);
  if (!member) return { ok: false, error: "notFound" };
  if (member.isOwner && !actor.isOwner) return { ok: false, error: "ownerProtected" };
  const unique = [...new Set(roleIds)];
  if (unique.length === 0) return { ok: false, error: "noRoles" };
  if (!findRoles(actor.organizationId, unique)) return { ok: false, error: "unknownRole" };
  const current = db
    .select({ roleId: memberRoles.roleId })
    .from(memberRoles)
    .where(eq(memberRoles.memberId, memberId))
    .all()
    .map((row) => row.roleId);
  const changed = [...unique.filter((id) => !current.includes(id)), ...current.filter((id) => !unique.includes(id))];
  const changedRoles = findRoles(actor.organizationId, changed) ?? [];
  if (
    !withinPermissions(
      changedRoles.flatMap((role) => role.permissions),
      actor.permissions,
    )
  ) {
    return { ok: false, error: "cannotGrant" };
  }
  db.transaction((tx) => {
    tx.delete(memberRoles).where(eq(memberRoles.memberId, memberId)).run();
    tx.insert(memberRoles)
      .values(unique.map((roleId) => ({ memberId, roleId })))
      .run();
  });
  return { ok: true };
}

function guardAgainstOwnerAndSelf(actor: Actor, memberId: number) {
  const member = findMember(actor.organizationId, memberId);
  if (!member) return { ok: false as const, error: "notFound" as const };
  if (member.isOwner) return { ok: false as const, error: "ownerProtected" as const };
  if (member.id === actor.memberId) return { ok: false as const, error: "self" as const };
  return { ok: true as const, member };
}

/** Deactivates members; their sessions in this organization stop working on the next request. */
export function deactivateMembers(actor: Actor, memberIds: number[], now = Date.now()): MemberChangeResult {
  return db.transaction((tx): MemberChangeResult => {
    for (const memberId of memberIds) {
      const guard = guardAgainstOwnerAndSelf(actor, memberId);
      if (!guard.ok) return guard;
    }
    tx.update(members)
      .set({ deactivatedAt: now })
      .where(
        and(
          eq(members.organizationId, actor.organizationId),
          inArray(members.id, memberIds),
          isNull(members.deactivatedAt),
        ),
      )
      .run();
    return { ok: true };
  });
}

export function reactivateMember(actor: Actor, memberId: number): MemberChangeResult {
  const member = findMember(actor.organizationId, memberId);
  if (!member) return { ok: false, error: "notFound" };
  db.update(members).set({ deactivatedAt: null }).where(eq(members.id, member.id)).run();
  return { ok: true };
}

/** Removes a member from the organization (their roles and invitation go with it; the user account stays). */
export function removeMember(actor: Actor, memberId: number): MemberChangeResult {
  const guard = guardAgainstOwnerAndSelf(actor, memberId);
  if (!guard.ok) return guard;
  db.delete(members).where(eq(members.id, guard.member.id)).run();
  return { ok: true };
}
