// Writes an organization with its built-in roles and its owner on the connection it is given: the app's (inside its
// write transaction: setup, "new organization") or a test's or the bench's, so fixtures build organizations as Roster
// does.
import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/open.server";
import { organizations, roles } from "~/db/schema";
import { BUILTIN_ROLES, type BuiltinRole } from "~/members/builtin-roles";
import { insertMember } from "~/members/member-rows.server";

export interface NewOrganization {
  id: number;
  name: string;
  ownerMemberId: number;
  /** The ids of its built-in roles. */
  roleIds: Record<BuiltinRole, number>;
}

/** Inserts an organization, its built-in roles, and the user as its owner (holding Admin); call it inside a transaction. */
export function insertOrganization(
  db: Db,
  { name, ownerUserId, now }: { name: string; ownerUserId: number; now: number },
): NewOrganization {
  const organization = db.insert(organizations).values({ name, createdAt: now }).returning().get();
  const roleIds = {} as Record<BuiltinRole, number>;
  for (const role of BUILTIN_ROLES) {
    roleIds[role.builtin] = db
      .insert(roles)
      .values({
        organizationId: organization.id,
        name: role.name,
        builtin: role.builtin,
        permissions: [...role.permissions],
        createdAt: now,
      })
      .returning({ id: roles.id })
      .get().id;
  }
  const ownerMemberId = insertMember(db, {
    organizationId: organization.id,
    userId: ownerUserId,
    roleIds: [roleIds.admin],
    now,
    joinedAt: now,
    isOwner: true,
    lastSignInAt: now,
  });
  return { id: organization.id, name: organization.name, ownerMemberId, roleIds };
}

/** The id of the organization's built-in role (every organization has both). */
export function builtinRoleId(db: Db, organizationId: number, builtin: BuiltinRole): number {
  const role = db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.organizationId, organizationId), eq(roles.builtin, builtin)))
    .get();
  if (!role) throw new Error(`organization ${organizationId} has no ${builtin} role`);
  return role.id;
}
