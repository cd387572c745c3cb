// Members with roles and last activity for the exports (activity.view only; the routes check): the JSON API a page at
// a time by keyset on the member id, every member exactly once across pages whatever changes between them; role names
// for a batch of the CSV.
import { and, asc, eq, gt, sql } from "drizzle-orm";
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
 * The role names of each member of a batch (at most a few thousand ids), A–Z as the list shows them, in two small
 * queries: the organization's roles, then the batch's rows of member_roles by primary key. The CSV's rows come from
 * `memberBatchReader`, which leaves roles out.
 */
export function roleNamesOf(organizationId: number, memberIds: number[]): Map<number, string[]> {
  const names = new Map<number, string[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return names;
  // In name order, so each member's roles come out A–Z (the same BINARY order as the list's roles column).
  const organizationRoles = db
    .select({ id: roles.id, name: roles.name })
    .from(roles)
    .where(eq(roles.organizationId, organizationId))
    .orderBy(asc(roles.name))
    .all();
  const held = db
    .select({ memberId: memberRoles.memberId, roleId: memberRoles.roleId })
    .from(memberRoles)
    // One JSON parameter instead of thousands of `?`s: the statement stays short to build and to prepare.
    .where(sql`${memberRoles.memberId} in (select value from json_each(${JSON.stringify(memberIds)}))`)
    .all();
  const holders = new Map<number, Set<number>>();
  for (const { memberId, roleId } of held) {
    const set = holders.get(roleId) ?? new Set<number>();
    set.add(memberId);
    holders.set(roleId, set);
  }
  for (const role of organizationRoles) {
    for (const memberId of holders.get(role.id) ?? []) names.get(memberId)?.push(role.name);
  }
  return names;
}
