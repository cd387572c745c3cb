// Creates organizations with their built-in roles and owner, and answers whether first-run setup is still open.
import { and, asc, eq, sql } from "drizzle-orm";
import { recordAudit } from "~/audit/audit-log.server";
import { db } from "~/db/client.server";
import { members, organizations } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { isActiveMembership } from "~/members/members.server";
import { insertUser } from "~/users/user-rows.server";
import { insertOrganization, type NewOrganization } from "./organization-rows.server";

export function hasAnyOrganization(): boolean {
  return db.select({ id: organizations.id }).from(organizations).limit(1).get() !== undefined;
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
    const userId = insertUser(db, { email: input.email, name: input.name, passwordHash: input.passwordHash, now });
    const organization = insertOrganization(db, { name: input.orgName, ownerUserId: userId, now });
    recordCreation(organization, now);
    return { userId, organizationId: organization.id };
  });
}

/** Any signed-in user may create another organization and becomes its owner. */
export function createOrganization(userId: number, name: string, now = Date.now()) {
  return writeTransaction(() => {
    const organization = insertOrganization(db, { name, ownerUserId: userId, now });
    recordCreation(organization, now);
    return organization;
  });
}

/** The new organization's first audit entry: its owner created it. */
function recordCreation(organization: NewOrganization, now: number) {
  recordAudit({
    organizationId: organization.id,
    actor: { memberId: organization.ownerMemberId },
    action: "organization.created",
    target: { type: "organization", id: organization.id, label: organization.name },
    change: { name: { before: null, after: organization.name } },
    at: now,
  });
}

// Prepared once: every page's header runs it.
const userOrganizations = db
  .select({ id: organizations.id, name: organizations.name })
  .from(members)
  .innerJoin(organizations, eq(organizations.id, members.organizationId))
  .where(and(eq(members.userId, sql.placeholder("userId")), isActiveMembership))
  .orderBy(asc(organizations.name), asc(organizations.id))
  .prepare();

/** The organizations where the user is an active member: what the header's switcher offers. */
export function listUserOrganizations(userId: number) {
  return userOrganizations.all({ userId });
}
