// Creates organizations with their built-in roles and owner, and answers whether first-run setup is still open.
import { and, asc, eq } from "drizzle-orm";
import { db } from "~/db/client.server";
import { memberRoles, members, organizations, roles, users } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { isActiveMembership } from "~/members/members.server";

export function hasAnyOrganization(): boolean {
  return db.select({ id: organizations.id }).from(organizations).limit(1).get() !== undefined;
}

/** Inserts an organization, its Admin and Member roles, and the user as its owner (holding Admin); call it inside a write transaction. */
function insertOrganization(name: string, ownerUserId: number, now: number) {
  const tx = db;
  const organization = tx.insert(organizations).values({ name, createdAt: now }).returning().get();
  const admin = tx
    .insert(roles)
    .values({
      organizationId: organization.id,
      name: "Admin",
      builtin: "admin",
      permissions: ["members.manage", "activity.view"],
      createdAt: now,
    })
    .returning({ id: roles.id })
    .get();
  tx.insert(roles)
    .values({ organizationId: organization.id, name: "Member", builtin: "member", permissions: [], createdAt: now })
    .run();
  const owner = tx
    .insert(members)
    .values({
      organizationId: organization.id,
      userId: ownerUserId,
      isOwner: true,
      createdAt: now,
      joinedAt: now,
      lastSignInAt: now,
    })
    .returning({ id: members.id })
    .get();
  tx.insert(memberRoles).values({ memberId: owner.id, roleId: admin.id }).run();
  return organization;
}

export class SetupClosedError extends Error {}

/** First-run setup: the first organization and its owner, in one transaction; refuses once any organization exists. */
export function setUpFirstOrganization(input: {
  orgName: string;
  name: string;
  email: string;
  passwordHash: string;
  now?: number;
}) {
  const now = input.now ?? Date.now();
  return writeTransaction(() => {
    if (db.select({ id: organizations.id }).from(organizations).limit(1).get()) throw new SetupClosedError();
    const user = db
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash: input.passwordHash, createdAt: now })
      .returning({ id: users.id })
      .get();
    const organization = insertOrganization(input.orgName, user.id, now);
    return { userId: user.id, organizationId: organization.id };
  });
}

/** Any signed-in user may create another organization and becomes its owner. */
export function createOrganization(userId: number, name: string, now = Date.now()) {
  return writeTransaction(() => insertOrganization(name, userId, now));
}

/** The organizations where the user is an active member: what the header's switcher offers. */
export function listUserOrganizations(userId: number) {
  return db
    .select({ id: organizations.id, name: organizations.name })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(and(eq(members.userId, userId), isActiveMembership))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .all();
}
