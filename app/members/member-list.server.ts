// Reads the members list of one organization: search, role and status filters, server-side sort and pagination by
// walking one index per sort (docs/decisions/013-members-list-keyset.md).
import { and, eq, isNotNull, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { members, users } from "~/db/schema";
import { dueCondition } from "~/dormant/policy.server";
import { DAY } from "~/lib/time";
import type { Actor } from "./authority.server";
import { memberIdentity } from "./member-identity.server";
import type { MemberQuery, SortColumn, StatusFilter } from "./member-query";
import { memberStatus } from "./members.server";

export const PAGE_SIZE = 50;
export const ACTIVE_DAYS = 30;
export const DORMANT_DAYS = 90;

/** SQL for a status filter of an organization's list at time `now` (epoch ms). */
export function statusCondition(status: StatusFilter, now: number, organizationId: number): SQL | undefined {
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
    case "due":
      return dueCondition(organizationId, now);
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** What a list is filtered by (the page's query without its sort and page). */
export type ListFilters = Pick<MemberQuery, "q" | "role" | "status" | "activeFrom" | "activeTo">;

/**
 * The list's filters, on `members` alone: search reads the sort keys (lower-case name, email), the role filter looks
 * each member up in member_roles' primary key. A page walks its sort's index and tests each row, so it stops after
 * the page; only a filter that few members match makes the walk long (decision 013).
 */
function filters(organizationId: number, query: ListFilters, now: number) {
  const conditions: (SQL | undefined)[] = [
    eq(members.organizationId, organizationId),
    statusCondition(query.status, now, organizationId),
  ];
  if (query.q) {
    const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
    conditions.push(
      or(sql`${members.nameSort} like ${pattern} escape '\\'`, sql`${members.emailSort} like ${pattern} escape '\\'`),
    );
  }
  if (query.role !== undefined) {
    conditions.push(
      sql`exists (select 1 from member_roles mr where mr.member_id = ${members.id} and mr.role_id = ${query.role})`,
    );
  }
  if (query.activeFrom !== undefined && query.activeTo !== undefined) {
    // A range seek on member_activity_days' primary key (member_id, day) per walked row, like the role filter.
    conditions.push(
      sql`exists (select 1 from member_activity_days d where d.member_id = ${members.id}
        and d.day >= ${query.activeFrom} and d.day <= ${query.activeTo})`,
    );
  }
  return and(...conditions) as SQL;
}

/**
 * Each sort's key and the index that holds one organization's members in (key, id) order. Ties are broken by id, so
 * the order is total and a page can start after any member. Only last_active_at can be NULL ("never"): SQLite orders
 * NULL lowest, so never-active members come last newest-first and first oldest-first, each order the other reversed.
 */
const SORTS: Record<SortColumn, { key: SQL; index: string; nullable: boolean }> = {
  name: { key: sql`${members.nameSort}`, index: "members_organization_name_idx", nullable: false },
  email: { key: sql`${members.emailSort}`, index: "members_organization_email_idx", nullable: false },
  roles: { key: sql`${members.rolesSort}`, index: "members_organization_roles_idx", nullable: false },
  lastActive: { key: sql`${members.lastActiveAt}`, index: "members_organization_last_active_idx", nullable: true },
  memberSince: { key: sql`${members.createdAt}`, index: "members_organization_created_idx", nullable: false },
};

export type Direction = "asc" | "desc";
type SortValue = string | number | null;
/** Where a walk starts: just after this member, whose key is `key`. */
export type Bound = { key: SortValue; id: number };

/**
 * The ranges of the index a walk from `bound` covers, in walking order. Each is a seek on (organization_id, key, id):
 * "same key, later id", then "later keys" (and, walking down, the NULL keys last), never a scan of what lies before.
 */
function ranges(sort: (typeof SORTS)[SortColumn], direction: Direction, bound: Bound | null): SQL[] {
  const { key } = sort;
  if (bound === null) return [sql`1`];
  const after = direction === "asc" ? sql`>` : sql`<`;
  if (bound.key === null) {
    const sameKey = sql`${key} is null and ${members.id} ${after} ${bound.id}`;
    return direction === "asc" ? [sameKey, sql`${key} is not null`] : [sameKey];
  }
  const walked = [sql`${key} = ${bound.key} and ${members.id} ${after} ${bound.id}`, sql`${key} ${after} ${bound.key}`];
  return direction === "desc" && sort.nullable ? [...walked, sql`${key} is null`] : walked;
}

export interface Walk {
  organizationId: number;
  query: ListFilters & Pick<MemberQuery, "sort">;
  now: number;
  direction: Direction;
  bound?: Bound | null;
  limit?: number;
  offset?: number;
}

/**
 * The statements a walk runs, one per range, each reading member ids in sort order from the sort's index (INDEXED BY:
 * the plan cannot turn into a sort of the whole organization); `limit` (null: no limit) is filled in per range.
 */
export function walkStatements({ organizationId, query, now, direction, bound = null, offset = 0 }: Walk) {
  const sort = SORTS[query.sort];
  const where = filters(organizationId, query, now);
  const order = sql.raw(direction);
  return ranges(sort, direction, bound).map(
    (range) => (limit: number) =>
      sql`select ${members.id} as id from ${members} indexed by ${sql.raw(sort.index)}
        where ${where} and ${range} order by ${sort.key} ${order}, ${members.id} ${order}
        limit ${limit} offset ${bound === null ? offset : 0}`,
  );
}

/** Member ids in sort order, range after range until `limit` are found. `offset` skips rows (only without a bound). */
function walkIds(walk: Walk): number[] {
  const ids: number[] = [];
  for (const statement of walkStatements(walk)) {
    const wanted = walk.limit === undefined ? -1 : walk.limit - ids.length;
    if (wanted === 0) break;
    for (const row of db.all<{ id: number }>(statement(wanted))) ids.push(row.id);
  }
  return ids;
}

/** A member's role ids as a JSON array, ordered by role name (the page names them from its list of the roles). */
const roleIdList = sql<string>`(
  select json_group_array(r.id) from (select r.id from member_roles mr join roles r on r.id = mr.role_id
    where mr.member_id = ${members.id} order by r.name) r)`;

const columns = {
  id: members.id,
  name: users.name,
  email: users.email,
  isOwner: members.isOwner,
  createdAt: members.createdAt,
  joinedAt: members.joinedAt,
  deactivatedAt: members.deactivatedAt,
  lastActiveAt: members.lastActiveAt,
  roleIds: roleIdList,
  reactivatedAt: members.reactivatedAt,
};

function withStatus<Row extends { roleIds: string; joinedAt: number | null; deactivatedAt: number | null }>(row: Row) {
  const { joinedAt: _joined, roleIds, ...shown } = row;
  return { ...shown, roleIds: JSON.parse(roleIds) as number[], status: memberStatus(row) };
}

// Prepared once: every page of the list runs it. The ids travel as one JSON array.
const listedMembers = db
  .select(columns)
  .from(members)
  .innerJoin(users, eq(users.id, members.userId))
  .where(sql`${members.id} in (select value from json_each(${sql.placeholder("ids")}))`)
  .prepare();

/** The listed members' rows (name, email, role ids…), in the order of `ids`. */
function membersByIds(ids: number[]) {
  if (ids.length === 0) return [];
  const byId = new Map(listedMembers.all({ ids: JSON.stringify(ids) }).map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [withStatus(row)] : [];
  });
}

const reverse = (direction: Direction): Direction => (direction === "asc" ? "desc" : "asc");

/** The sort key of a member of this organization (where a cursor page starts); undefined if it is gone. */
function boundAt(organizationId: number, sort: SortColumn, memberId: number): Bound | undefined {
  const row = db
    .select({ key: sql<SortValue>`${SORTS[sort].key}` })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.id, memberId)))
    .get();
  return row ? { key: row.key, id: memberId } : undefined;
}

export interface MemberPage {
  members: ReturnType<typeof membersByIds>;
  /** Members matching the filters. */
  total: number;
  /** The page shown, from 1 (as the query string said it, or 1 when a "previous" link reached the start). */
  page: number;
}

/**
 * One page of the list, read in O(page) from the sort's index (decision 013):
 * - `after`/`before` (the member at the end of the previous page, the start of the next): the walk starts at that
 *   member's key, in the list's order or against it. `page` then only numbers the page.
 * - the first page walks from the start, the last page from the end;
 * - any other `?page=N` without a cursor (an old bookmark) skips rows from the nearer end: correct, and costs what it
 *   skips.
 * A cursor whose member is gone (removed meanwhile) falls back to the numbered page.
 */
export function memberPage(
  organizationId: number,
  query: MemberQuery,
  { now = Date.now(), pageSize = PAGE_SIZE, counts }: { now?: number; pageSize?: number; counts?: StatusCounts } = {},
): MemberPage {
  const total = listTotal(organizationId, query, now, counts);
  const walk = { organizationId, query, now };
  const cursorId = query.after ?? query.before;
  const bound = cursorId === undefined ? undefined : boundAt(organizationId, query.sort, cursorId);
  if (bound && query.after !== undefined) {
    const ids = walkIds({ ...walk, direction: query.dir, bound, limit: pageSize });
    if (ids.length > 0) return { members: membersByIds(ids), total, page: query.page };
  }
  if (bound && query.before !== undefined) {
    const ids = walkIds({ ...walk, direction: reverse(query.dir), bound, limit: pageSize }).reverse();
    if (ids.length === pageSize) return { members: membersByIds(ids), total, page: Math.max(2, query.page) };
    // Fewer than a page before the cursor: that is the start of the list.
    return { members: membersByIds(walkIds({ ...walk, direction: query.dir, limit: pageSize })), total, page: 1 };
  }
  const skip = (query.page - 1) * pageSize;
  if (skip >= total) return { members: [], total, page: query.page };
  const end = Math.min(total, skip + pageSize);
  const ids =
    skip <= total - end
      ? walkIds({ ...walk, direction: query.dir, limit: pageSize, offset: skip })
      : walkIds({ ...walk, direction: reverse(query.dir), limit: end - skip, offset: total - end }).reverse();
  return { members: membersByIds(ids), total, page: query.page };
}

/**
 * The statement that counts the members matching the filters (the list's total). With a role it starts from the
 * role's holders (member_roles_role_idx; CROSS JOIN keeps that order) and reads each holder by primary key, so the
 * total costs the holders, not the organization.
 */
export function countStatement(organizationId: number, query: ListFilters, now: number): SQL {
  if (query.role === undefined) {
    return sql`select count(*) as n from ${members} where ${filters(organizationId, query, now)}`;
  }
  return sql`select count(*) as n from member_roles mr cross join ${members} on ${members.id} = mr.member_id
    where mr.role_id = ${query.role} and ${filters(organizationId, { ...query, role: undefined }, now)}`;
}

/** The organization's counts by status as of the list's `now` (summaryCounts in app/activity/summary.server.ts). */
export interface StatusCounts {
  /** Current (not deactivated) members. */
  members: number;
  active30: number;
  never: number;
  inactive90: number;
}

/**
 * The list's total. A status filter alone (no search, role or active days) is one of the summary's counts, which the page has
 * already read from the per-organization aggregates (decision 015): only the deactivated members are counted here.
 * Anything else is counted by `countStatement`.
 */
function listTotal(organizationId: number, query: ListFilters, now: number, counts: StatusCounts | undefined): number {
  const statusAlone = !query.q && query.role === undefined && query.activeFrom === undefined;
  if (counts === undefined || !statusAlone) return countMembers(organizationId, query, now);
  switch (query.status) {
    case "all":
      return counts.members + countMembers(organizationId, { q: "", status: "deactivated" }, now);
    case "active30":
    case "never":
    case "inactive90":
      return counts[query.status];
    case "deactivated":
    case "due":
      return countMembers(organizationId, query, now);
  }
}

export function countMembers(organizationId: number, query: ListFilters, now = Date.now()) {
  return db.get<{ n: number }>(countStatement(organizationId, query, now))?.n ?? 0;
}

/** Ids of current members inactive 90+ days, for "deactivate all that match" (never the owner). */
export function dormantMemberIds(organizationId: number, now = Date.now()): number[] {
  return db
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.organizationId, organizationId),
        eq(members.isOwner, false),
        statusCondition("inactive90", now, organizationId),
      ),
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
  const row = memberIdentity(organizationId, memberId);
  return row ? row.name || row.email : undefined;
}

const { roleIds: _roleIds, ...exportColumns } = columns;

/**
 * A batch of members as an export writes them: the list's columns without roles (`roleNamesOf` reads a batch's roles
 * at once). Prepared once. The unary + keeps SQLite from walking the organization's index and testing each member
 * against the batch (the whole organization, once per batch): it looks the ids up by primary key and checks each one's
 * organization (a test reads the plan).
 */
export const exportRowsStatement = db
  .select(exportColumns)
  .from(members)
  .innerJoin(users, eq(users.id, members.userId))
  .where(
    and(
      sql`+${members.organizationId} = ${sql.placeholder("organizationId")}`,
      sql`${members.id} in (select value from json_each(${sql.placeholder("ids")}))`,
    ),
  )
  .prepare();

function exportRows(organizationId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = exportRowsStatement.all({ organizationId, ids: JSON.stringify(ids) });
  const byId = new Map(rows.map((row) => [row.id, { ...row, status: memberStatus(row) }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Reads the next batch of an export (at most `limit` members) and says whether it was the last. */
export type MemberBatchReader = (limit: number) => { members: ReturnType<typeof exportRows>; done: boolean };

/**
 * The members list under a query, a batch at a time, for exports: each batch is one short walk of the sort's index
 * from the member the last batch ended with (decision 013), so a long export neither holds a read transaction open nor
 * reads a row twice. A member removed meanwhile is skipped; one changed meanwhile is exported as it is now.
 */
export function memberBatchReader(organizationId: number, query: MemberQuery, now: number): MemberBatchReader {
  let bound: Bound | null = null;
  return (limit) => {
    const ids = walkIds({ organizationId, query, now, direction: query.dir, bound, limit });
    const last = ids.at(-1);
    const next = last === undefined ? undefined : boundAt(organizationId, query.sort, last);
    if (next) bound = next;
    return { members: exportRows(organizationId, ids), done: ids.length < limit };
  };
}
