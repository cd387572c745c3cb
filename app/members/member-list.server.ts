// Reads the members list of one organization: search, role and status filters, server-side sort and pagination.
import { and, asc, desc, eq, isNotNull, isNull, like, lt, or, type SQL, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { members, users } from "~/db/schema";
import { DAY } from "~/lib/time";
import type { Actor } from "./authority.server";
import type { MemberQuery, SortColumn, StatusFilter } from "./member-query";
import { memberStatus, type RoleRef, roleList } from "./members.server";

export const PAGE_SIZE = 50;
export const ACTIVE_DAYS = 30;
export const DORMANT_DAYS = 90;

const roleNamesForSort = sql`(
  select group_concat(name, ', ') from (select r.name from member_roles mr join roles r on r.id = mr.role_id
  where mr.member_id = ${members.id} order by r.name))`;

/** SQL for a status filter at time `now` (epoch ms). */
export function statusCondition(status: StatusFilter, now: number): SQL | undefined {
  const current = isNull(members.deactivatedAt);
  switch (status) {
    case "all":
      return undefined;
    case "active30":
      return and(current, sql`${members.lastActiveAt} >= ${now - ACTIVE_DAYS * DAY}`);
    case "inactive90":
      return and(current, isNotNull(members.lastActiveAt), lt(members.lastActiveAt, now - DORMANT_DAYS * DAY));
    case "never":
      return and(current, isNull(members.lastActiveAt));
    case "deactivated":
      return isNotNull(members.deactivatedAt);
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function filters(organizationId: number, query: Pick<MemberQuery, "q" | "role" | "status">, now: number) {
  const conditions: (SQL | undefined)[] = [
    eq(members.organizationId, organizationId),
    statusCondition(query.status, now),
  ];
  if (query.q) {
    const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
    conditions.push(
      or(sql`lower(${users.name}) like ${pattern} escape '\\'`, like(users.email, sql`${pattern} escape '\\'`)),
    );
  }
  if (query.role !== undefined) {
    conditions.push(
      sql`exists (select 1 from member_roles mr where mr.member_id = ${members.id} and mr.role_id = ${query.role})`,
    );
  }
  return and(...conditions);
}

const sortExpressions: Record<SortColumn, SQL> = {
  name: sql`lower(${users.name})`,
  email: sql`${users.email}`,
  roles: roleNamesForSort,
  lastActive: sql`${members.lastActiveAt}`,
  memberSince: sql`${members.createdAt}`,
};

const columns = {
  id: members.id,
  name: users.name,
  email: users.email,
  isOwner: members.isOwner,
  createdAt: members.createdAt,
  joinedAt: members.joinedAt,
  deactivatedAt: members.deactivatedAt,
  lastActiveAt: members.lastActiveAt,
  roles: roleList,
};

function withStatus<Row extends { roles: string; joinedAt: number | null; deactivatedAt: number | null }>(row: Row) {
  return { ...row, roles: JSON.parse(row.roles) as RoleRef[], status: memberStatus(row) };
}

/**
 * Members matching the query, sorted and paged. Descending last-active puts never-active members last, ascending
 * puts them first (SQLite sorts NULL lowest), which is what the (organization_id, last_active_at) index serves.
 */
export function queryMembers(
  organizationId: number,
  query: MemberQuery,
  options: { now?: number; limit?: number; offset?: number } = {},
) {
  const now = options.now ?? Date.now();
  const where = filters(organizationId, query, now);
  const order = query.dir === "asc" ? asc : desc;
  const base = db
    .select(columns)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(where)
    .orderBy(order(sortExpressions[query.sort]), order(members.id));
  const rows =
    options.limit === undefined
      ? base.all()
      : base
          .limit(options.limit)
          .offset(options.offset ?? 0)
          .all();
  return rows.map(withStatus);
}

export function countMembers(
  organizationId: number,
  query: Pick<MemberQuery, "q" | "role" | "status">,
  now = Date.now(),
) {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(filters(organizationId, query, now))
      .get()?.n ?? 0
  );
}

/** Ids of current members inactive 90+ days, for "deactivate all that match" (never the owner). */
export function dormantMemberIds(organizationId: number, now = Date.now()): number[] {
  return db
    .select({ id: members.id })
    .from(members)
    .where(
      and(eq(members.organizationId, organizationId), eq(members.isOwner, false), statusCondition("inactive90", now)),
    )
    .all()
    .map((row) => row.id);
}

export type DormantPick = { ok: true; memberIds: number[] } | { ok: false; error: "permission" };

/**
 * The members "deactivate all inactive 90+ days" acts on: dormant as of `asOf` (when the page counted them, so nobody
 * who crossed the line since is included), never the owner nor the actor. Picking members by their activity reveals
 * it, so the actor needs activity.view (deactivating them then needs members.manage, checked by deactivateMembers).
 */
export function dormantMembersFor(actor: Actor, asOf: number): DormantPick {
  if (!actor.isOwner && !actor.permissions.has("activity.view")) return { ok: false, error: "permission" };
  const memberIds = dormantMemberIds(actor.organizationId, asOf).filter((id) => id !== actor.memberId);
  return { ok: true, memberIds };
}

/** How messages name a member of the organization: their name, or their email until they set one. */
export function memberLabel(organizationId: number, memberId: number): string | undefined {
  const row = db
    .select({ name: users.name, email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), eq(members.id, memberId)))
    .get();
  return row ? row.name || row.email : undefined;
}

/** Where a keyset read stopped: the last row's sort value and id. */
export interface MemberListCursor {
  sortValue: string | number | null;
  id: number;
}

/**
 * The next `limit` members after `cursor` in the list's own filter and order (`queryMembers`), by keyset: each batch a
 * short read of its own, so a long export never holds one read transaction open. Without roles: a correlated roles
 * subquery per row costs more than the rest of the row (`roleNamesOf` reads a batch's roles in one query). SQLite
 * sorts NULL lowest: ascending puts NULL sort values first, descending last, and the condition after a NULL stays
 * among the NULLs.
 */
export function queryMembersAfter(
  organizationId: number,
  query: MemberQuery,
  cursor: MemberListCursor | null,
  options: { now: number; limit: number },
) {
  const sortKey = sortExpressions[query.sort];
  const ascending = query.dir === "asc";
  let after: SQL | undefined;
  if (cursor) {
    const beyondId = ascending ? sql`${members.id} > ${cursor.id}` : sql`${members.id} < ${cursor.id}`;
    if (cursor.sortValue === null) {
      after = ascending
        ? sql`((${sortKey}) is not null or ((${sortKey}) is null and ${beyondId}))`
        : sql`((${sortKey}) is null and ${beyondId})`;
    } else {
      const beyond = ascending ? sql`(${sortKey}) > ${cursor.sortValue}` : sql`(${sortKey}) < ${cursor.sortValue}`;
      const tie = sql`((${sortKey}) = ${cursor.sortValue} and ${beyondId})`;
      after = ascending ? sql`(${beyond} or ${tie})` : sql`(${beyond} or ${tie} or (${sortKey}) is null)`;
    }
  }
  const order = ascending ? asc : desc;
  const { roles: _roles, ...withoutRoles } = columns;
  const rows = db
    .select({ ...withoutRoles, sortValue: sql<string | number | null>`${sortKey}` })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(filters(organizationId, query, options.now), after))
    .orderBy(order(sortKey), order(members.id))
    .limit(options.limit)
    .all();
  const last = rows.at(-1);
  return {
    members: rows.map(({ sortValue: _sortValue, ...row }) => ({ ...row, status: memberStatus(row) })),
    cursor: last ? { sortValue: last.sortValue, id: last.id } : null,
  };
}
