// One member of an organization as their page shows them: name, email, roles, status, since when, invited by whom.
import { and, eq, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { members, users } from "~/db/schema";
import { memberStatus, type RoleRef, roleList } from "./members.server";

/** Who sent the member's invitation (their name, or email until they set one); NULL for the owner or unknown. */
const invitedBy = sql<string | null>`(
  select coalesce(nullif(u.name, ''), u.email) from invitations i join users u on u.id = i.invited_by_user_id
  where i.member_id = ${members.id} order by i.id desc limit 1)`;

/** The member, or undefined when there is no such member in this organization (another's id included). */
export function memberDetails(organizationId: number, memberId: number) {
  const row = db
    .select({
      id: members.id,
      name: users.name,
      email: users.email,
      isOwner: members.isOwner,
      createdAt: members.createdAt,
      joinedAt: members.joinedAt,
      deactivatedAt: members.deactivatedAt,
      lastActiveAt: members.lastActiveAt,
      roles: roleList,
      invitedBy,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), eq(members.id, memberId)))
    .get();
  if (!row) return undefined;
  const roles = (JSON.parse(row.roles) as (RoleRef & { permissions: unknown })[]).map(({ id, name, builtin }) => ({
    id,
    name,
    builtin,
  }));
  return { ...row, roles, status: memberStatus(row) };
}

export type MemberDetails = NonNullable<ReturnType<typeof memberDetails>>;
