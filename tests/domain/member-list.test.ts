// The members list reads one page from its sort's index (docs/decisions/013-members-list-keyset.md): every sort both
// ways, every filter, cursor and numbered pages give the same list as sorting the whole organization would, and no
// statement's plan scans the members table or sorts in a temporary B-tree.
import "../support/app-database";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { summaryCounts } from "~/activity/summary.server";
import { db, sqlite } from "~/db/client.server";
import { savePolicy } from "~/dormant/policy.server";
import { DAY } from "~/lib/time";
import { pendingInvitationsQuery } from "~/members/invitations.server";
import {
  type Bound,
  countStatement,
  type Direction,
  exportRowsStatement,
  type ListFilters,
  memberPage,
  walkStatements,
} from "~/members/member-list.server";
import { type MemberQuery, SORT_COLUMNS, STATUS_FILTERS } from "~/members/member-query";
import { addMember, customRole, newOrganization, type TestOrganization } from "../support/domain";

const NOW = Date.UTC(2026, 10, 28, 12);
const PAGE = 7;
let org: TestOrganization;
let hr: number;

/** The active-days filter's range in these tests: 7 UTC days ending on NOW's day. */
const ACTIVE_RANGE = { activeFrom: Date.UTC(2026, 10, 22), activeTo: Date.UTC(2026, 10, 28) };

const NAMES = ["Ada", "bo", "Ada", "Cleo", "", "åsa", "Bo", "Dan", "ada", "Eve"];

beforeAll(() => {
  org = newOrganization();
  hr = customRole(org, ["activity.view"], "HR");
  const other = newOrganization("Elsewhere");
  addMember(other, [other.roles.member]);
  for (let index = 0; index < 44; index += 1) {
    const roles = index % 5 === 0 ? [hr] : index % 7 === 0 ? [hr, org.roles.member] : [org.roles.member];
    const status = index % 11 === 3 ? "invited" : index % 9 === 4 ? "deactivated" : "active";
    const member = addMember(org, roles, { status });
    const name = NAMES[index % NAMES.length] ?? "";
    sqlite.prepare("update users set name = ? where id = ?").run(status === "invited" ? "" : name, member.userId);
    // Ties on purpose: several members share a time, a name, a role set; some were never active.
    const lastActive = index % 4 === 0 ? null : NOW - (index % 6) * 20 * DAY;
    sqlite
      .prepare("update members set last_active_at = ?, created_at = ? where id = ?")
      .run(lastActive, NOW - (index % 3) * DAY, member.memberId);
    // Active days for the active-days filter: some members on days inside ACTIVE_RANGE, some only around it.
    for (const back of [index % 5, (index % 8) + 9, 40]) {
      sqlite
        .prepare("insert or ignore into member_activity_days (member_id, day) values (?, ?)")
        .run(member.memberId, ACTIVE_RANGE.activeTo - back * DAY);
    }
  }
  // "Due for deactivation" needs a policy: on, 60 days, 7 days' grace, HR exempt; one long-dormant member reactivated.
  const saved = savePolicy(org.owner(), { enabled: true, thresholdDays: 60, graceDays: 7, exemptRoleIds: [hr] }, NOW);
  if (!saved.ok) throw new Error(saved.error);
  sqlite
    .prepare(
      `update members set reactivated_at = ? where id = (select id from members where organization_id = ?
       and last_active_at = ? and deactivated_at is null limit 1)`,
    )
    .run(NOW - 10 * DAY, org.organizationId, NOW - 100 * DAY);
});

/** The list as the whole organization sorted (what the page did before decision 013): the reference. */
function reference(query: MemberQuery): number[] {
  const keys: Record<string, string> = {
    name: "lower(u.name)",
    email: "u.email",
    roles: `coalesce((select group_concat(name, ', ') from (select r.name from member_roles mr join roles r
      on r.id = mr.role_id where mr.member_id = m.id order by r.name)), '')`,
    lastActive: "m.last_active_at",
    memberSince: "m.created_at",
  };
  const status: Record<string, string> = {
    all: "1",
    active30: `m.deactivated_at is null and m.last_active_at >= ${NOW - 30 * DAY}`,
    inactive90: `m.deactivated_at is null and m.last_active_at < ${NOW - 90 * DAY}`,
    never: "m.deactivated_at is null and m.last_active_at is null",
    deactivated: "m.deactivated_at is not null",
    // The policy set in beforeAll (60 days, 7 days' grace, HR exempt), 14 days ahead: written out here on its own.
    due: `m.deactivated_at is null and m.is_owner = 0
      and not exists (select 1 from member_roles mr where mr.member_id = m.id and mr.role_id = ${hr})
      and (case when m.last_active_at is null then max(m.created_at, coalesce(m.reactivated_at, 0)) + ${7 * DAY}
           else max(m.last_active_at, coalesce(m.reactivated_at, 0)) + ${60 * DAY} end) < ${NOW + 14 * DAY}`,
  };
  const q = `%${query.q.toLowerCase()}%`;
  return sqlite
    .prepare(
      `select m.id from members m join users u on u.id = m.user_id
       where m.organization_id = ? and ${status[query.status]} and (lower(u.name) like ? or u.email like ?)
         and (? is null or exists (select 1 from member_roles mr where mr.member_id = m.id and mr.role_id = ?))
         and (? is null or m.id in (select member_id from member_activity_days where day between ? and ?))
       order by ${keys[query.sort]} ${query.dir}, m.id ${query.dir}`,
    )
    .pluck()
    .all(
      org.organizationId,
      q,
      q,
      query.role ?? null,
      query.role ?? null,
      query.activeFrom ?? null,
      query.activeFrom ?? null,
      query.activeTo ?? null,
    ) as number[];
}

function queries(): MemberQuery[] {
  const filters: ListFilters[] = [
    ...STATUS_FILTERS.map((status) => ({ q: "", status })),
    { q: "", status: "all", role: hr },
    { q: "", status: "all", ...ACTIVE_RANGE },
    { q: "", status: "deactivated", ...ACTIVE_RANGE },
    { q: "ad", status: "all" },
    { q: "member-", status: "active30", role: hr },
  ];
  return SORT_COLUMNS.flatMap((sort) =>
    (["asc", "desc"] as const).flatMap((dir) => filters.map((filter) => ({ ...filter, sort, dir, page: 1 }))),
  );
}

const ids = (query: MemberQuery) =>
  memberPage(org.organizationId, query, { now: NOW, pageSize: PAGE }).members.map((member) => member.id);

describe("the members list, page by page", () => {
  it("the test data has ties, never-active members and every status", () => {
    expect(reference({ q: "", status: "never", sort: "name", dir: "asc", page: 1 }).length).toBeGreaterThan(3);
    expect(reference({ q: "", status: "deactivated", sort: "name", dir: "asc", page: 1 }).length).toBeGreaterThan(2);
    expect(reference({ q: "", status: "all", sort: "name", dir: "asc", page: 1 }).length).toBe(45);
    expect(reference({ q: "", status: "due", sort: "name", dir: "asc", page: 1 }).length).toBeGreaterThan(5);
    const activeInRange = reference({ q: "", status: "all", ...ACTIVE_RANGE, sort: "name", dir: "asc", page: 1 });
    expect(activeInRange.length).toBeGreaterThan(5);
    expect(activeInRange.length).toBeLessThan(45);
  });

  it("next links (after the page's last member) walk the whole list in order, for every sort, direction and filter", () => {
    for (const query of queries()) {
      const expected = reference(query);
      const walked: number[] = [];
      let page = { ...query };
      for (let step = 0; step < 20; step += 1) {
        const rows = ids(page);
        walked.push(...rows);
        const last = rows.at(-1);
        if (rows.length < PAGE || last === undefined) break;
        page = { ...query, page: page.page + 1, after: last };
      }
      expect(walked, JSON.stringify(query)).toEqual(expected);
      expect(memberPage(org.organizationId, query, { now: NOW }).total, JSON.stringify(query)).toBe(expected.length);
      // The total taken from the summary's counts, as the page does, is the same.
      const counts = summaryCounts(org.organizationId, NOW);
      expect(memberPage(org.organizationId, query, { now: NOW, counts }).total, JSON.stringify(query)).toBe(
        expected.length,
      );
    }
  });

  it("previous links (before the page's first member) and numbered pages give the same pages", () => {
    for (const query of queries()) {
      const expected = reference(query);
      const pages = Math.max(1, Math.ceil(expected.length / PAGE));
      for (let page = 1; page <= pages; page += 1) {
        const slice = expected.slice((page - 1) * PAGE, page * PAGE);
        expect(ids({ ...query, page }), `${JSON.stringify(query)} page ${page}`).toEqual(slice);
        const next = expected[page * PAGE];
        if (next !== undefined) {
          expect(ids({ ...query, page, before: next }), `${JSON.stringify(query)} before page ${page + 1}`).toEqual(
            slice,
          );
        }
      }
    }
  });

  it("answers a cursor whose member is gone with the numbered page, and a page past the end with no rows", () => {
    const query: MemberQuery = { q: "", status: "all", sort: "name", dir: "asc", page: 2 };
    const expected = reference(query);
    expect(ids({ ...query, after: 999_999 })).toEqual(expected.slice(PAGE, 2 * PAGE));
    expect(ids({ ...query, page: 99 })).toEqual([]);
  });
});

/** Every statement a page of this query can run: from either end, and from a cursor on a key or on NULL. */
function statementsFor(query: MemberQuery) {
  const bounds: (Bound | null)[] = [
    null,
    { key: query.sort === "lastActive" || query.sort === "memberSince" ? NOW : "m", id: 10 },
  ];
  if (query.sort === "lastActive") bounds.push({ key: null, id: 10 });
  const directions: Direction[] = ["asc", "desc"];
  return bounds.flatMap((bound) =>
    directions.flatMap((direction) =>
      walkStatements({ organizationId: org.organizationId, query, now: NOW, direction, bound }).map((statement) =>
        statement(PAGE),
      ),
    ),
  );
}

describe("the members list's query plans", () => {
  it("walk the sort's index for every sort, direction and filter: no scan of members, no temp B-tree for ORDER BY", () => {
    let checked = 0;
    for (const query of queries()) {
      for (const statement of statementsFor(query)) {
        const plan = db
          .all<{ detail: string }>(sql`explain query plan ${statement}`)
          .map((step) => step.detail)
          .join("\n");
        const label = `${JSON.stringify(query)}\n${plan}`;
        expect(plan, label).not.toMatch(/SCAN members|USE TEMP B-TREE/);
        expect(plan, label).toMatch(
          /SEARCH members USING (COVERING )?INDEX members_organization_\w+_idx \(organization_id=\?/,
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("reads an export's batch by primary key, not by walking the organization once per batch", () => {
    const { sql: text, params } = exportRowsStatement.getQuery();
    const values = params.map((param) =>
      typeof param === "object" && param !== null && "name" in param
        ? { organizationId: org.organizationId, ids: "[1,2,3]" }[String(param.name)]
        : param,
    );
    const plan = sqlite
      .prepare(`explain query plan ${text}`)
      .all(...values)
      .map((step) => (step as { detail: string }).detail)
      .join("\n");
    expect(plan, plan).toMatch(/SEARCH members USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan, plan).not.toMatch(/members_organization|SCAN members/);
  });

  it("tests the active-days filter by a range seek on member_activity_days' primary key, in walks and counts", () => {
    const query: MemberQuery = { q: "", status: "all", ...ACTIVE_RANGE, sort: "lastActive", dir: "desc", page: 1 };
    for (const statement of [...statementsFor(query), countStatement(org.organizationId, query, NOW)]) {
      const plan = db
        .all<{ detail: string }>(sql`explain query plan ${statement}`)
        .map((step) => step.detail)
        .join("\n");
      expect(plan, plan).toMatch(
        /SEARCH d (EXISTS )?USING COVERING INDEX sqlite_autoindex_member_activity_days_1 \(member_id=\? AND day>\? AND day<\?\)/,
      );
      expect(plan, plan).not.toMatch(/SCAN (members|d)\b|USE TEMP B-TREE/);
    }
  });

  it("counts deactivated members (the rest of the list's total) and lists pending invitations from their own indexes", () => {
    const planOf = (text: string, params: unknown[]) =>
      sqlite
        .prepare(`explain query plan ${text}`)
        .all(...params)
        .map((step) => (step as { detail: string }).detail)
        .join("\n");
    const count = db.all<{ detail: string }>(
      sql`explain query plan ${countStatement(org.organizationId, { q: "", status: "deactivated" }, NOW)}`,
    );
    const countPlan = count.map((step) => step.detail).join("\n");
    expect(countPlan, countPlan).toMatch(
      /members_organization_deactivated_idx \(organization_id=\? AND deactivated_at>\?\)/,
    );
    const pending = pendingInvitationsQuery(org.organizationId).toSQL();
    const pendingPlan = planOf(pending.sql, pending.params);
    expect(pendingPlan, pendingPlan).toMatch(
      /invitations_organization_pending_idx \(organization_id=\? AND accepted_at=\?\)/,
    );
    expect(pendingPlan, pendingPlan).not.toMatch(/TEMP B-TREE|SCAN invitations/);
  });

  it("counts a role's members from the role's holders, not by looking up every member of the organization", () => {
    for (const status of STATUS_FILTERS) {
      const plan = db
        .all<{ detail: string }>(
          sql`explain query plan ${countStatement(org.organizationId, { q: "", status, role: hr }, NOW)}`,
        )
        .map((step) => step.detail)
        .join("\n");
      expect(plan, plan).toMatch(/member_roles_role_idx \(role_id=\?\)/);
      expect(plan, plan).toMatch(/SEARCH members USING INTEGER PRIMARY KEY/);
    }
  });
});
