// How a member of an organization is named to people: their name and email, looked up by member id.
import { and, eq } from "drizzle-orm";
import { db } from "~/db/client.server";
import { members, users } from "~/db/schema";

/** The member's name and email, if they are a member of this organization. */
export function memberIdentity(organizationId: number, memberId: number): { name: string; email: string } | undefined {
  return db
    .select({ name: users.name, email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), eq(members.id, memberId)))
    .get();
}
