// Members with roles and last activity for the exports (activity.view only; the routes check): the JSON API a page at
// a time by keyset on the member id, every member exactly once across pages whatever changes between them; role names
// for a batch of the CSV.
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { memberRoles, members, roles, users } from "~/db/schema";
import { isoOrNull } from "~/lib/dates";
import { type RoleRef, roleList } from "./members.server";

export const API_PAGE_DEFAULT = 100;
export const API_PAGE_MAX = 1_000;

/** What SPEC §5 promises for each member: the API's body is an array of these. */
export interface ApiMember {
  member_id: number;
  name: string;
  email: string;
  is_owner: boolean;
  last_active_at: string | null;
  roles: string[];
}

/**
 * The members after `afterId` in id order, at most `limit`, and whether more follow (one row more is read to know).
 * The `members.id > ?` range is the keyset: a member added between pages appears on a later page (ids only grow), a
 * removed one simply is not there, and nobody moves between pages when their activity or name changes.
 */
export function membersWithRolesPage(organizationId: number, afterId: number, limit: number) {
  const rows = db
    .select({
      id: members.id,
      name: users.name,
      email: users.email,
      isOwner: members.isOwner,
      lastActiveAt: members.lastActiveAt,
      roles: roleList,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    // The unary + keeps SQLite from reading the organization's whole index and sorting it: it walks the primary key
    // from the cursor and stops after the page (members has no (organization_id, id) index to do better).
    .where(and(sql`+${members.organizationId} = ${organizationId}`, gt(members.id, afterId)))
    .orderBy(asc(members.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit).map(
    (row): ApiMember => ({
      member_id: row.id,
      name: row.name,
      email: row.email,
      is_owner: row.isOwner,
      last_active_at: isoOrNull(row.lastActiveAt),
      roles: (JSON.parse(row.roles) as RoleRef[]).map((role) => role.name),
    }),
  );
  return { members: page, lastId: rows.length > limit ? (page.at(-1)?.member_id ?? null) : null };
}

// The cursor is opaque to clients (base64url of "m<id>"), so its form can change without breaking them.
export function encodeCursor(afterId: number): string {
  return Buffer.from(`m${afterId}`).toString("base64url");
}

/** The member id a cursor stands for, or null when it is not one this API wrote. */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,24}$/.test(cursor)) return null;
  const match = /^m([1-9]\d{0,14})$/.exec(Buffer.from(cursor, "base64url").toString("latin1"));
  return match ? Number(match[1]) : null;
}

/**
 * The role names of each member of a batch (at most a few thousand ids), A–Z, in one query: the CSV's rows come from
 * `queryMembersAfter`, which leaves roles out.
 */
export function roleNamesOf(organizationId: number, memberIds: number[]): Map<number, string[]> {
  const names = new Map<number, string[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return names;
  const rows = db
    .select({ memberId: memberRoles.memberId, name: roles.name })
    .from(memberRoles)
    .innerJoin(roles, eq(roles.id, memberRoles.roleId))
    .where(and(inArray(memberRoles.memberId, memberIds), eq(roles.organizationId, organizationId)))
    .orderBy(asc(roles.name))
    .all();
  for (const row of rows) names.get(row.memberId)?.push(row.name);
  return names;
}
