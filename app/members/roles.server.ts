// Roles of an organization: the built-in Admin and Member, and custom roles admins create, rename and delete.
import { and, asc, count, eq, inArray, ne, sql } from "drizzle-orm";
import { recordAudit } from "~/audit/audit-log.server";
import type { Permission } from "~/auth/permissions";
import { db } from "~/db/client.server";
import { memberRoles, roles } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import {
  type Actor,
  canManageMembers,
  chunks,
  loadStandings,
  mayChange,
  type RoleGrant,
  standingFrom,
  within,
} from "./authority.server";
import type { RoleListItem, RoleRef } from "./types";

/** How pages list roles: the built-in ones first, then by name. */
const LIST_ORDER = [sql`${roles.builtin} is null`, asc(roles.name)];

export function listRoles(organizationId: number): RoleListItem[] {
  return db
    .select({
      id: roles.id,
      name: roles.name,
      builtin: roles.builtin,
      permissions: roles.permissions,
      memberCount: sql<number>`(select count(*) from member_roles mr where mr.role_id = ${roles.id})`,
    })
    .from(roles)
    .where(eq(roles.organizationId, organizationId))
    .orderBy(...LIST_ORDER)
    .all();
}

export type { RoleListItem };

// Prepared once: the members page runs it on every load.
const organizationRoleRefs = db
  .select({ id: roles.id, name: roles.name, builtin: roles.builtin })
  .from(roles)
  .where(eq(roles.organizationId, sql.placeholder("organizationId")))
  .orderBy(...LIST_ORDER)
  .prepare();

/** The organization's roles as pages name and offer them, without counting their holders. */
export function roleRefs(organizationId: number): RoleRef[] {
  return organizationRoleRefs.all({ organizationId });
}

export type RoleChangeError =
  | "permission"
  | "notFound"
  | "builtin"
  | "duplicateName"
  | "reassignRequired"
  | "reassignInvalid"
  | "cannotGrant"
  | "outranked";
export type RoleChangeResult = { ok: true } | { ok: false; error: RoleChangeError };

const refuse = (error: RoleChangeError): RoleChangeResult => ({ ok: false, error });

/**
 * The organization's roles among `roleIds` with their permissions; null if any id is not a role of this organization.
 */
export function findRoles(organizationId: number, roleIds: number[]) {
  if (roleIds.length === 0) return [];
  const unique = [...new Set(roleIds)];
  const found = [];
  for (const slice of chunks(unique)) {
    found.push(
      ...db
        .select({ id: roles.id, permissions: roles.permissions })
        .from(roles)
        .where(and(eq(roles.organizationId, organizationId), inArray(roles.id, slice)))
        .all(),
    );
  }
  return found.length === unique.length ? found : null;
}

/** The names of these roles of the organization, A–Z: how audit entries record a member's roles. */
export function roleNames(organizationId: number, roleIds: readonly number[]): string[] {
  const names: string[] = [];
  for (const slice of chunks([...new Set(roleIds)])) {
    names.push(
      ...db
        .select({ name: roles.name })
        .from(roles)
        .where(and(eq(roles.organizationId, organizationId), inArray(roles.id, slice)))
        .all()
        .map((row) => row.name),
    );
  }
  return names.sort();
}

/** The names of the roles a member holds, A–Z (what audit entries record as the "before" of a change). */
export function memberRoleNames(memberId: number): string[] {
  return db
    .select({ name: roles.name })
    .from(memberRoles)
    .innerJoin(roles, eq(roles.id, memberRoles.roleId))
    .where(eq(memberRoles.memberId, memberId))
    .all()
    .map((row) => row.name)
    .sort();
}

/** A set of permissions as an audit entry records it: sorted, so equal sets compare and read alike. */
export function permissionList(permissions: Iterable<Permission>): Permission[] {
  return [...permissions].sort();
}

function nameTaken(organizationId: number, name: string, exceptRoleId?: number): boolean {
  const conditions = [eq(roles.organizationId, organizationId), sql`lower(${roles.name}) = lower(${name})`];
  if (exceptRoleId !== undefined) conditions.push(ne(roles.id, exceptRoleId));
  return (
    db
      .select({ id: roles.id })
      .from(roles)
      .where(and(...conditions))
      .get() !== undefined
  );
}

function findRole(organizationId: number, roleId: number) {
  return db
    .select()
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.organizationId, organizationId)))
    .get();
}

/**
 * Checks a change to the roles every holder of `roleId` has: `replace` gives a holder's roles after the change.
 * A holder whose standing stays the same is not acted on; anyone else must be within the actor's authority.
 */
function checkHolders(actor: Actor, roleId: number, replace: (roles: RoleGrant[]) => RoleGrant[]): RoleChangeResult {
  const holders = db
    .select({ memberId: memberRoles.memberId })
    .from(memberRoles)
    .where(eq(memberRoles.roleId, roleId))
    .all()
    .map((row) => row.memberId);
  for (const holder of loadStandings(actor.organizationId, holders).values()) {
    const after = standingFrom(
      holder.isOwner,
      replace(holder.roles).map((role) => role.permissions),
    );
    const unchanged =
      holder.permissions.size === after.permissions.size && within(holder.permissions, after.permissions);
    if (!unchanged && !mayChange(actor, holder, after)) return refuse("outranked");
  }
  return { ok: true };
}

/** Creates a custom role; it may grant only permissions the actor holds. */
export function createRole(actor: Actor, name: string, permissions: Permission[]): RoleChangeResult {
  if (!canManageMembers(actor)) return refuse("permission");
  if (!actor.isOwner && !within(permissions, actor.permissions)) return refuse("cannotGrant");
  return writeTransaction(() => {
    if (nameTaken(actor.organizationId, name)) return refuse("duplicateName");
    const role = db
      .insert(roles)
      .values({ organizationId: actor.organizationId, name, permissions, createdAt: Date.now() })
      .returning({ id: roles.id })
      .get();
    recordAudit({
      organizationId: actor.organizationId,
      actor,
      action: "role.created",
      target: { type: "role", id: role.id, label: name },
      change: {
        name: { before: null, after: name },
        permissions: { before: [], after: permissionList(new Set(permissions)) },
      },
    });
    return { ok: true };
  });
}

/**
 * Renames a custom role and sets its permissions; built-in roles are fixed. The role's old and new permissions must
 * be the actor's, and no holder may gain or lose access beyond the actor's authority.
 */
export function updateRole(actor: Actor, roleId: number, name: string, permissions: Permission[]): RoleChangeResult {
  if (!canManageMembers(actor)) return refuse("permission");
  return writeTransaction(() => {
    const role = findRole(actor.organizationId, roleId);
    if (!role) return refuse("notFound");
    if (role.builtin) return refuse("builtin");
    if (!actor.isOwner && !within([...permissions, ...role.permissions], actor.permissions)) {
      return refuse("cannotGrant");
    }
    if (nameTaken(actor.organizationId, name, roleId)) return refuse("duplicateName");
    const holders = checkHolders(actor, roleId, (held) =>
      held.map((grant) => (grant.id === roleId ? { id: roleId, permissions } : grant)),
    );
    if (!holders.ok) return holders;
    db.update(roles).set({ name, permissions }).where(eq(roles.id, roleId)).run();
    const before = { name: role.name, permissions: permissionList(role.permissions) };
    const after = { name, permissions: permissionList(new Set(permissions)) };
    if (before.name !== after.name || before.permissions.join() !== after.permissions.join()) {
      recordAudit({
        organizationId: actor.organizationId,
        actor,
        action: "role.edited",
        target: { type: "role", id: roleId, label: name },
        change: {
          name: { before: before.name, after: after.name },
          permissions: { before: before.permissions, after: after.permissions },
        },
      });
    }
    return { ok: true };
  });
}

/**
 * Deletes a custom role. If members still hold it, `reassignToRoleId` must name another role of the organization:
 * every holder gets that role, in the same transaction, so nobody is left without one. Both roles must be within the
 * actor's permissions and every holder within their authority: deleting a role is no way to promote or demote.
 */
export function deleteRole(actor: Actor, roleId: number, reassignToRoleId?: number): RoleChangeResult {
  if (!canManageMembers(actor)) return refuse("permission");
  return writeTransaction(() => {
    const role = findRole(actor.organizationId, roleId);
    if (!role) return refuse("notFound");
    if (role.builtin) return refuse("builtin");
    const holders = db.select({ n: count() }).from(memberRoles).where(eq(memberRoles.roleId, roleId)).get()?.n ?? 0;
    const reassignTo =
      holders > 0 && reassignToRoleId !== undefined ? findRole(actor.organizationId, reassignToRoleId) : undefined;
    if (holders > 0) {
      if (reassignToRoleId === undefined) return refuse("reassignRequired");
      if (reassignToRoleId === roleId || !reassignTo) return refuse("reassignInvalid");
    }
    if (!actor.isOwner && !within([...role.permissions, ...(reassignTo?.permissions ?? [])], actor.permissions)) {
      return refuse("cannotGrant");
    }
    if (reassignTo) {
      const check = checkHolders(actor, roleId, (held) => [
        ...held.filter((grant) => grant.id !== roleId && grant.id !== reassignTo.id),
        { id: reassignTo.id, permissions: reassignTo.permissions },
      ]);
      if (!check.ok) return check;
      db.run(sql`insert or ignore into member_roles (member_id, role_id)
        select member_id, ${reassignTo.id} from member_roles where role_id = ${roleId}`);
    }
    db.delete(roles).where(eq(roles.id, roleId)).run();
    recordAudit({
      organizationId: actor.organizationId,
      actor,
      action: "role.deleted",
      target: { type: "role", id: roleId, label: role.name },
      change: {
        name: { before: role.name, after: null },
        permissions: { before: permissionList(role.permissions), after: [] },
        holders,
        reassignedTo: reassignTo ? { id: reassignTo.id, name: reassignTo.name } : null,
      },
    });
    return { ok: true };
  });
}
