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
 * subquery per row costs more than the rest of the row (`roleNamesOf` reads a batch's roles in one query).
 *
 * SQLite sorts NULL lowest: ascending lists the NULL sort values first, descending last. Each condition below is a
 * range an index on the sort value can seek to (no OR across NULL and non-NULL), so a batch never re-reads the rows
 * before it; when one part runs out, the batch continues from the start of the other.
 */
export function queryMembersAfter(
  organizationId: number,
  query: MemberQuery,
  cursor: MemberListCursor | null,
  options: { now: number; limit: number },
) {
  const sortKey = sortExpressions[query.sort];
  const ascending = query.dir === "asc";
  const order = ascending ? asc : desc;
  const { roles: _roles, ...withoutRoles } = columns;
  const read = (after: SQL, limit: number) =>
    db
      .select({ ...withoutRoles, sortValue: sql<string | number | null>`${sortKey}` })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(filters(organizationId, query, options.now), after))
      .orderBy(order(sortKey), order(members.id))
      .limit(limit)
      .all();
  const isNullKey = sql`(${sortKey}) is null`;
  const notNullKey = sql`(${sortKey}) is not null`;
  const beyondId = (id: number) => (ascending ? sql`${members.id} > ${id}` : sql`${members.id} < ${id}`);
  const beyondValue = (value: string | number, id: number) =>
    ascending
      ? sql`(${sortKey}) >= ${value} and ((${sortKey}) > ${value} or ${beyondId(id)})`
      : sql`(${sortKey}) <= ${value} and ((${sortKey}) < ${value} or ${beyondId(id)})`;

  // The part the cursor is in, then (if the batch is not full) the part that follows it in this direction.
  let current: SQL;
  let following: SQL | null;
  if (cursor === null) {
    current = ascending ? isNullKey : notNullKey;
    following = ascending ? notNullKey : isNullKey;
  } else if (cursor.sortValue === null) {
    current = sql`${isNullKey} and ${beyondId(cursor.id)}`;
    following = ascending ? notNullKey : null;
  } else {
    current = beyondValue(cursor.sortValue, cursor.id);
    following = ascending ? null : isNullKey;
  }
  const rows = read(current, options.limit);
  if (following && rows.length < options.limit) rows.push(...read(following, options.limit - rows.length));

  const last = rows.at(-1);
  return {
    members: rows.map(({ sortValue: _sortValue, ...row }) => ({ ...row, status: memberStatus(row) })),
    cursor: last ? { sortValue: last.sortValue, id: last.id } : null,
  };
}

/** Sorts an index serves (decision 006): an export reads them in keyset batches that seek to where the last stopped. */
const KEYSET_SORTS: ReadonlySet<SortColumn> = new Set(["lastActive", "memberSince"]);

/** Reads the next batch of an export (at most `limit` members) and says whether it was the last. */
export type MemberBatchReader = (limit: number) => {
  members: ReturnType<typeof queryMembersAfter>["members"];
  done: boolean;
};

/**
 * The members list under a query, a batch at a time, for exports. Index-served sorts read keyset batches
 * (`queryMembersAfter`). The others would sort every remaining row again for each batch, so their order is taken
 * once, as member ids (a few bytes each), and the rows are read by id a batch at a time; a member removed meanwhile
 * is skipped, one changed meanwhile is exported as it is now.
 */
export function memberBatchReader(organizationId: number, query: MemberQuery, now: number): MemberBatchReader {
  if (KEYSET_SORTS.has(query.sort)) {
    let cursor: MemberListCursor | null = null;
    return (limit) => {
      const batch = queryMembersAfter(organizationId, query, cursor, { now, limit });
      cursor = batch.cursor;
      return { members: batch.members, done: batch.members.length < limit };
    };
  }
  let ids: number[] | null = null;
  let position = 0;
  return (limit) => {
    ids ??= db
      .select({ id: members.id })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(filters(organizationId, query, now))
      .orderBy(
        ...(query.dir === "asc"
          ? [asc(sortExpressions[query.sort]), asc(members.id)]
          : [desc(sortExpressions[query.sort]), desc(members.id)]),
      )
      .all()
      .map((row) => row.id);
    const slice = ids.slice(position, position + limit);
    position += slice.length;
    const { roles: _roles, ...withoutRoles } = columns;
    const rows = db
      .select(withoutRoles)
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(
        and(
          eq(members.organizationId, organizationId),
          sql`${members.id} in (select value from json_each(${JSON.stringify(slice)}))`,
        ),
      )
      .all();
    const byId = new Map(rows.map((row) => [row.id, { ...row, status: memberStatus(row) }]));
    const batch = slice.flatMap((id) => byId.get(id) ?? []);
    return { members: batch, done: position >= ids.length };
  };
}
