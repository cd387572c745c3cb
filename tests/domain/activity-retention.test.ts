// Activity history older than the horizon is pruned in small batches that never wait for a lock: members' days and the
// organizations' per-day aggregates before the cutoff go, everything from the cutoff on stays, trends included.
import "../support/app-database";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createActivityPruner } from "~/activity/retention.server";
import { createActivityStore } from "~/activity/store.server";
import { activityTrends } from "~/activity/trends.server";
import { sqlite } from "~/db/client.server";
import { DAY, HOUR, utcDay } from "~/lib/time";
import { databasePath } from "../support/app-database";
import { addMember, newOrganization } from "../support/domain";

const NOW = Date.UTC(2026, 10, 28, 15);
const HORIZON = 400;
const CUTOFF = utcDay(NOW) - HORIZON * DAY;
const store = createActivityStore(sqlite);

const count = (table: string, where: string) =>
  sqlite.prepare(`select count(*) from ${table} where ${where}`).pluck().get(CUTOFF) as number;

describe("activity history retention", () => {
  it("prunes days before the horizon, batch by batch, and keeps the rest and today's trends", async () => {
    const organizations = [newOrganization(), newOrganization("Beta")];
    const people = organizations.flatMap((organization) =>
      Array.from({ length: 25 }, () => addMember(organization, [organization.roles.member]).memberId),
    );
    for (const [index, memberId] of people.entries()) {
      for (const back of [0, 3, 30, HORIZON - 1, HORIZON, HORIZON + 1, 450 + index, 700]) {
        const at = utcDay(NOW) - back * DAY + 10 * HOUR;
        store.write([{ memberId, at, notAfter: at }]);
      }
    }
    expect(count("member_activity_days", "day < ?")).toBe(people.length * 3);
    const trendsBefore = organizations.map((organization) => activityTrends(organization.organizationId, NOW));
    const keptBefore = count("member_activity_days", "day >= ?");

    const pruner = createActivityPruner(sqlite, { horizonDays: HORIZON, batchSize: 7 });
    const deleted = await pruner.prune(NOW);

    expect(count("member_activity_days", "day < ?")).toBe(0);
    expect(count("organization_activity_days", "day < ?")).toBe(0);
    expect(count("organization_activity_gaps", "day < ?")).toBe(0);
    expect(count("member_activity_days", "day >= ?")).toBe(keptBefore);
    expect(count("member_activity_days", "day = ?")).toBe(people.length);
    expect(deleted).toBeGreaterThanOrEqual(people.length * 3);
    expect(organizations.map((organization) => activityTrends(organization.organizationId, NOW))).toEqual(trendsBefore);
    // Nothing left to prune: a second run deletes nothing.
    expect(await pruner.prune(NOW)).toBe(0);
  });

  it("yields to the event loop between batches", async () => {
    const organization = newOrganization();
    for (let index = 0; index < 30; index += 1) addMember(organization, [organization.roles.member]);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    await createActivityPruner(sqlite, { horizonDays: HORIZON, batchSize: 2 }).prune(NOW);
    clearInterval(timer);
    // A timer ran while the prune was under way: the event loop (requests) was not held for the whole run.
    expect(ticks).toBeGreaterThan(0);
  });

  it("does not wait for another connection's write lock: the run fails at once and the next one takes over", async () => {
    const other = new Database(databasePath);
    other.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    try {
      await expect(createActivityPruner(sqlite, { horizonDays: HORIZON }).prune(NOW)).rejects.toThrow(/locked|busy/i);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(performance.now() - started).toBeLessThan(100);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBeGreaterThan(0);
  });

  it("leaves nothing of a removed member's days (they go with the member)", () => {
    const organization = newOrganization();
    const member = addMember(organization, [organization.roles.member]).memberId;
    store.write([{ memberId: member, at: NOW, notAfter: NOW }]);
    expect(sqlite.prepare("select count(*) from member_activity_days where member_id = ?").pluck().get(member)).toBe(1);
    sqlite.prepare("delete from members where id = ?").run(member);
    expect(sqlite.prepare("select count(*) from member_activity_days where member_id = ?").pluck().get(member)).toBe(0);
  });
});
