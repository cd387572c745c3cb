// The audit page's query at 100,000 events: newest first, every filter, pages by cursor equal to a sort of the whole
// log, and every statement a page can run walks an index led by the organization (no scan, no temp B-tree).
import "../support/app-database";
import { beforeAll, describe, expect, it } from "vitest";
import { auditBatchReader, auditPage, filterLabels, parseAuditQuery, walkStatement } from "~/audit/audit-list.server";
import type { AuditQuery } from "~/audit/audit-query";
import { sqlite } from "~/db/client.server";
import { AUDIT_ACTIONS } from "~/db/schema";
import { DAY } from "~/lib/time";
import { newOrganization, type TestOrganization } from "../support/domain";

const EVENTS = 100_000;
const START = Date.UTC(2026, 0, 1);
let org: TestOrganization;
let other: TestOrganization;

interface Event {
  id: number;
  at: number;
  actor: number | null;
  action: string;
  targetId: number;
}
let all: Event[];

beforeAll(() => {
  org = newOrganization("Audited");
  other = newOrganization("Elsewhere");
  // Inserted by SQL, as a year of busy administration would leave them: 20 actors (one in ten events the system's),
  // every action, 500 targets, over 200 days; three events share each millisecond (a bulk action writes one time
  // for all).
  sqlite.exec(`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${EVENTS})
    insert into audit_events (organization_id, at, actor_member_id, actor_label, action, target_type, target_id,
                              target_label, change)
    select case when i % 50 = 0 then ${other.organizationId} else ${org.organizationId} end,
           ${START} + (i / 3) * 519000,
           case when i % 10 = 0 then null else 1000 + i % 20 end,
           case when i % 10 = 0 then null else 'Actor ' || (i % 20) end,
           json_extract('${JSON.stringify(AUDIT_ACTIONS)}', '$[' || (i % ${AUDIT_ACTIONS.length}) || ']'),
           'member', 5000 + i % 500, 'Target ' || (i % 500), '{}'
    from n`);
  all = sqlite
    .prepare(
      `select id, at, actor_member_id as actor, action, target_id as targetId from audit_events
       where organization_id = ? order by at desc, id desc`,
    )
    .all(org.organizationId) as Event[];
});

const query = (params: Record<string, string>): AuditQuery => {
  const parsed = parseAuditQuery(new URLSearchParams(params));
  if (!parsed) throw new Error(`bad query ${JSON.stringify(params)}`);
  return parsed;
};

const FILTERS: Record<string, string>[] = [
  {},
  { actor: "1003" },
  { actor: "system" },
  { action: "member.roles_changed" },
  { target: "5123" },
  { from: "2026-01-02", to: "2026-01-03" },
  { actor: "1006", action: "member.deactivated" },
  { action: "role.created", from: "2026-01-05" },
  { target: "5007", to: "2026-01-04" },
];

function matches(event: Event, filter: Record<string, string>): boolean {
  if (filter.actor === "system" && event.actor !== null) return false;
  if (filter.actor && filter.actor !== "system" && event.actor !== Number(filter.actor)) return false;
  if (filter.action && event.action !== filter.action) return false;
  if (filter.target && event.targetId !== Number(filter.target)) return false;
  if (filter.from && event.at < Date.parse(`${filter.from}T00:00:00Z`)) return false;
  if (filter.to && event.at >= Date.parse(`${filter.to}T00:00:00Z`) + DAY) return false;
  return true;
}

describe("the audit log's pages", () => {
  it("walk each filter newest first by cursor, older and newer, as a sort of the whole log gives them", () => {
    for (const filter of FILTERS) {
      const expected = all.filter((event) => matches(event, filter)).map((event) => event.id);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      const pages: number[][] = [];
      let page = auditPage(org.organizationId, query(filter), 500);
      while (page) {
        pages.push(page.events.map((event) => event.id));
        const last = page.events.at(-1);
        if (!page.hasOlder || !last) break;
        page = auditPage(org.organizationId, query({ ...filter, after: String(last.id) }), 500);
      }
      expect(pages.flat(), JSON.stringify(filter)).toEqual(expected);
      // Back from the last page by "newer" links: the same pages, in reverse.
      for (let index = pages.length - 1; index > 0; index--) {
        const first = pages[index]?.[0];
        const newer = auditPage(org.organizationId, query({ ...filter, before: String(first) }), 500);
        expect(newer?.events.map((event) => event.id)).toEqual(pages[index - 1]);
      }
    }
  });

  it("reads the whole filtered log in batches for the CSV, every event once", () => {
    const filter = { action: "member.invited" };
    const next = auditBatchReader(org.organizationId, query(filter));
    const ids: number[] = [];
    for (let batch = next(100); ; batch = next(2_000)) {
      ids.push(...batch.events.map((event) => event.id));
      if (batch.done) break;
    }
    expect(ids).toEqual(all.filter((event) => matches(event, filter)).map((event) => event.id));
  });

  it("refuses a cursor of another organization's log and malformed filters", () => {
    const foreign = sqlite
      .prepare("select id from audit_events where organization_id = ? limit 1")
      .pluck()
      .get(other.organizationId) as number;
    expect(auditPage(org.organizationId, query({ after: String(foreign) }))).toBeNull();
    for (const bad of <Record<string, string>[]>[
      { action: "member.hacked" },
      { actor: "-1" },
      { from: "2026-02-30" },
      { to: "yesterday" },
      { after: "1", before: "2" },
    ]) {
      expect(parseAuditQuery(new URLSearchParams(bad)), JSON.stringify(bad)).toBeNull();
    }
  });

  it("serves every filter from its index, from the start and from a cursor: no scan, no temp B-tree", () => {
    const middle = all[Math.floor(all.length / 2)] as Event;
    for (const filter of FILTERS) {
      for (const direction of ["older", "newer"] as const) {
        for (const bound of [null, { at: middle.at, id: middle.id }]) {
          const statement = walkStatement(org.organizationId, query(filter), direction, bound, 51);
          const { sql: text, params } = statement.toSQL();
          const plan = (sqlite.prepare(`explain query plan ${text}`).all(...params) as { detail: string }[])
            .map((step) => step.detail)
            .join("\n");
          const label = `${JSON.stringify(filter)} ${direction} ${bound ? "cursor" : "start"}\n${plan}`;
          expect(plan, label).not.toMatch(/SCAN audit_events|USE TEMP B-TREE/);
          expect(plan, label).toMatch(/SEARCH audit_events USING INDEX audit_events_\w+_idx \(organization_id=\?/);
        }
      }
    }
  });

  it("names the filtered actor and target by their newest entry, read from the end of their index", () => {
    const started = performance.now();
    expect(filterLabels(org.organizationId, query({ actor: "1003", target: "5123" }))).toEqual({
      actor: "Actor 3",
      target: "Target 123",
    });
    expect(filterLabels(org.organizationId, query({ actor: "system", target: "1" }))).toEqual({
      actor: null,
      target: null,
    });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("answers a page at 100,000 events in milliseconds, whatever the filter", () => {
    for (const filter of FILTERS) {
      const started = performance.now();
      auditPage(org.organizationId, query({ ...filter, after: String(all[40_000]?.id) }));
      expect(performance.now() - started, JSON.stringify(filter)).toBeLessThan(100);
    }
  });
});
