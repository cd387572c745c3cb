// The one authority rule for changes to membership: nobody gives, takes over or takes away access beyond their own.
import { and, eq, inArray } from "drizzle-orm";
import { PERMISSIONS, type Permission } from "~/auth/permissions";
import { db } from "~/db/client.server";
import { memberRoles, members, roles } from "~/db/schema";

/** Who is acting: an active member of the organization, with the permissions their roles give (the owner: all). */
export interface Actor {
  organizationId: number;
  memberId: number;
  userId: number;
  isOwner: boolean;
  permissions: ReadonlySet<Permission>;
  /** How the audit log names the actor ("Name <email>"), when the caller has it (the session does); else it is read. */
  label?: string;
}

/**
 * What a member holds, or would hold once active: the owner every permission, anyone else the permissions of their
 * roles. Status does not lower it: a deactivated admin is still an admin to whoever would reactivate them, and an
 * invitation still pending grants its roles on acceptance.
 */
export interface Standing {
  isOwner: boolean;
  permissions: ReadonlySet<Permission>;
}

export const EVERY_PERMISSION: ReadonlySet<Permission> = new Set(PERMISSIONS);

/** Whether every permission is one of `held`. */
export function within(permissions: Iterable<Permission>, held: ReadonlySet<Permission>): boolean {
  for (const permission of permissions) if (!held.has(permission)) return false;
  return true;
}

/** Whether the actor may change membership at all (members.manage; the owner always). */
export function canManageMembers(actor: Actor): boolean {
  return actor.isOwner || actor.permissions.has("members.manage");
}

/**
 * The rule: the actor may act on a member whose standing is within their own, and leave them with a standing within
 * their own. So nobody gains a permission the actor lacks, and nobody who holds more than the actor loses anything.
 * Only the owner acts on the owner; the owner may do anything the domain allows.
 */
export function mayChange(actor: Actor, before: Standing, after: Standing = before): boolean {
  if (actor.isOwner) return true;
  if (before.isOwner || after.isOwner) return false;
  return within(before.permissions, actor.permissions) && within(after.permissions, actor.permissions);
}

/** The standing of a member holding roles with these permissions. */
export function standingFrom(isOwner: boolean, rolePermissions: Iterable<readonly Permission[]>): Standing {
  if (isOwner) return { isOwner, permissions: EVERY_PERMISSION };
  const permissions = new Set<Permission>();
  for (const list of rolePermissions) for (const permission of list) permissions.add(permission);
  return { isOwner, permissions };
}

const QUERY_CHUNK = 500;

/** The ids in slices small enough for one statement's variables (SQLite allows 32,766; a slice uses 500). */
export function* chunks<T>(items: readonly T[], size = QUERY_CHUNK): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export interface RoleGrant {
  id: number;
  permissions: Permission[];
}

export type MemberStanding = Standing & { roles: RoleGrant[] };

/**
 * The standing of each of these members of the organization (members elsewhere are left out), with their roles.
 * Called inside the write transaction that acts on them, so what is checked is what is changed.
 */
export function loadStandings(organizationId: number, memberIds: readonly number[]): Map<number, MemberStanding> {
  const grouped = new Map<number, { isOwner: boolean; roles: RoleGrant[] }>();
  for (const slice of chunks([...new Set(memberIds)])) {
    const rows = db
      .select({ memberId: members.id, isOwner: members.isOwner, roleId: roles.id, permissions: roles.permissions })
      .from(members)
      .leftJoin(memberRoles, eq(memberRoles.memberId, members.id))
      .leftJoin(roles, eq(roles.id, memberRoles.roleId))
      .where(and(eq(members.organizationId, organizationId), inArray(members.id, slice)))
      .all();
    for (const row of rows) {
      const entry = grouped.get(row.memberId) ?? { isOwner: row.isOwner, roles: [] };
      if (row.roleId !== null && row.permissions !== null)
        entry.roles.push({ id: row.roleId, permissions: row.permissions });
      grouped.set(row.memberId, entry);
    }
  }
  const result = new Map<number, MemberStanding>();
  for (const [memberId, entry] of grouped) {
    const standing = standingFrom(
      entry.isOwner,
      entry.roles.map((role) => role.permissions),
    );
    result.set(memberId, { ...standing, roles: entry.roles });
  }
  return result;
}
