// Roles of an organization: the built-in Admin and Member, and custom roles admins create, rename and delete.
import { and, asc, count, eq, inArray, ne, sql } from "drizzle-orm";
import type { Permission } from "~/auth/permissions";
import { db } from "~/db/client.server";
import { memberRoles, roles } from "~/db/schema";

export function listRoles(organizationId: number) {
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
    .orderBy(sql`${roles.builtin} is null`, asc(roles.name))
    .all();
}

export type RoleListItem = ReturnType<typeof listRoles>[number];

export type RoleChangeError =
  | "notFound"
  | "builtin"
  | "duplicateName"
  | "reassignRequired"
  | "reassignInvalid"
  | "cannotGrant";
export type RoleChangeResult = { ok: true } | { ok: false; error: RoleChangeError };

/** Whether every permission is one the actor holds: nobody hands out access they do not have (the owner has all). */
export function withinPermissions(permissions: readonly Permission[], held: ReadonlySet<Permission>): boolean {
  return permissions.every((permission) => held.has(permission));
}

/**
 * The organization's roles among `roleIds` with their permissions; null if any id is not a role of this organization.
 */
export function findRoles(organizationId: number, roleIds: number[]) {
  if (roleIds.length === 0) return [];
  const found = db
    .select({ id: roles.id, permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.organizationId, organizationId), inArray(roles.id, roleIds)))
    .all();
  return found.length === new Set(roleIds).size ? found : null;
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

export function createRole(
  organizationId: number,
  name: string,
  permissions: Permission[],
  held: ReadonlySet<Permission>,
): RoleChangeResult {
  if (!withinPermissions(permissions, held)) return { ok: false, error: "cannotGrant" };
  if (nameTaken(organizationId, name)) return { ok: false, error: "duplicateName" };
  db.insert(roles).values({ organizationId, name, permissions, createdAt: Date.now() }).run();
  return { ok: true };
}

/** Renames a custom role and sets its permissions; built-in roles are fixed. */
export function updateRole(
  organizationId: number,
  roleId: number,
  name: string,
  permissions: Permission[],
  held: ReadonlySet<Permission>,
): RoleChangeResult {
  const role = findRole(organizationId, roleId);
  if (!role) return { ok: false, error: "notFound" };
  if (role.builtin) return { ok: false, error: "builtin" };
  if (!withinPermissions([...permissions, ...role.permissions], held)) return { ok: false, error: "cannotGrant" };
  if (nameTaken(organizationId, name, roleId)) return { ok: false, error: "duplicateName" };
  db.update(roles).set({ name, permissions }).where(eq(roles.id, roleId)).run();
  return { ok: true };
}

/**
 * Deletes a custom role. If members still hold it, `reassignToRoleId` must name another role of the
 * organization: every holder gets that role, in the same transaction, so nobody is left without one.
 */
export function deleteRole(organizationId: number, roleId: number, reassignToRoleId?: number): RoleChangeResult {
  const role = findRole(organizationId, roleId);
  if (!role) return { ok: false, error: "notFound" };
  if (role.builtin) return { ok: false, error: "builtin" };
  const holders = db.select({ n: count() }).from(memberRoles).where(eq(memberRoles.roleId, roleId)).get()?.n ?? 0;
  if (holders > 0) {
    if (reassignToRoleId === undefined) return { ok: false, error: "reassignRequired" };
    if (reassignToRoleId === roleId || !findRole(organizationId, reassignToRoleId)) {
      return { ok: false, error: "reassignInvalid" };
    }
  }
  db.transaction((tx) => {
    if (holders > 0 && reassignToRoleId !== undefined) {
      tx.run(sql`insert or ignore into member_roles (member_id, role_id)
        select member_id, ${reassignToRoleId} from member_roles where role_id = ${roleId}`);
    }
    tx.delete(roles).where(eq(roles.id, roleId)).run();
  });
  return { ok: true };
}
