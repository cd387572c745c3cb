// Active-member trends are distinct members per window, summed from organization_activity_gaps: they must equal a
// brute-force count of distinct members over member_activity_days, whatever order the days were written in.
import "../support/app-database";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createActivityStore } from "~/activity/store.server";
import { activeInWindows, activityTrends, TREND_WEEKS, weeklyActiveMembers } from "~/activity/trends.server";
import { sqlite } from "~/db/client.server";
import { MIGRATIONS_FOLDER } from "~/db/open.server";
import { DAY, HOUR, utcDay } from "~/lib/time";
import { seededRandom } from "../../scripts/demo-data";
import { addMember, newOrganization, type TestOrganization } from "../support/domain";

const NOW = Date.UTC(2026, 1, 28, 22, 10);
const store = createActivityStore(sqlite);
let org: TestOrganization;
let other: TestOrganization;

/** Distinct members of the organization with a recorded day in [from, to]. */
function brute(organizationId: number, from: number, to: number): number {
  return sqlite
    .prepare(
      `select count(distinct d.member_id) from member_activity_days d join members m on m.id = d.member_id
       where m.organization_id = ? and d.day between ? and ?`,
    )
    .pluck()
    .get(organizationId, from, to) as number;
}

function gaps(organizationId: number) {
  return sqlite
    .prepare(
      "select day, gap_days, members from organization_activity_gaps where organization_id = ? and members <> 0 order by 1, 2",
    )
    .all(organizationId);
}

beforeAll(() => {
  org = newOrganization();
  other = newOrganization("Elsewhere");
  const next = seededRandom(20261128);
  const people = Array.from({ length: 120 }, () => addMember(org, [org.roles.member]).memberId);
  const outsider = addMember(other, [other.roles.member]).memberId;
  for (const [index, memberId] of people.entries()) {
    // Regulars, weekly and rare visitors over 240 days, a third written out of order (as an import would). addMember
    // signed each in, recording a day in real time, after NOW: every day below comes before one already recorded.
    const rate = [0.8, 0.2, 0.03][index % 3] ?? 0.1;
    const days = Array.from({ length: 240 }, (_, back) => utcDay(NOW) - back * DAY).filter(() => next() < rate);
    if (index % 3 === 1) days.sort(() => next() - 0.5);
    else days.reverse();
    for (const day of days) store.write([{ memberId, at: day + 9 * HOUR, notAfter: day + 9 * HOUR }]);
  }
  store.write([{ memberId: outsider, at: NOW, notAfter: NOW }]);
});

describe("active-member trends", () => {
  it("equal brute-force distinct counts for every window length from 1 to 31 days, on any start day", () => {
    const today = utcDay(NOW);
    let checked = 0;
    for (let days = 1; days <= 31; days += 1) {
      for (const back of [0, 1, 5, 30, 100, 200]) {
        const first = today - back * DAY - (3 * days - 1) * DAY;
        for (const window of activeInWindows(org.organizationId, first, days, 3)) {
          expect(window.active, `${days} days from ${new Date(window.from).toISOString()}`).toBe(
            brute(org.organizationId, window.from, window.to),
          );
          checked += 1;
        }
      }
    }
    expect(checked).toBe(31 * 6 * 3);
  });

  it("give today, 7 and 30 days against the period before, and 26 weekly windows ending today", () => {
    const trends = activityTrends(org.organizationId, NOW);
    expect(trends.map((trend) => trend.days)).toEqual([1, 7, 30]);
    for (const { days, current, previous } of trends) {
      expect(current.to).toBe(utcDay(NOW));
      expect(current.from).toBe(utcDay(NOW) - (days - 1) * DAY);
      expect(previous.to).toBe(current.from - DAY);
      expect(current.active).toBe(brute(org.organizationId, current.from, current.to));
      expect(previous.active).toBe(brute(org.organizationId, previous.from, previous.to));
      expect(current.active).toBeGreaterThan(0);
    }
    const weeks = weeklyActiveMembers(org.organizationId, NOW);
    expect(weeks).toHaveLength(TREND_WEEKS);
    expect(weeks.at(-1)?.to).toBe(utcDay(NOW));
    for (const week of weeks) expect(week.active).toBe(brute(org.organizationId, week.from, week.to));
    expect(activityTrends(other.organizationId, NOW)[0]?.current.active).toBe(1);
  });

  it("keep a removed member's days, as the daily chart does", () => {
    const leaver = addMember(org, [org.roles.member]).memberId;
    const before = weeklyActiveMembers(org.organizationId, NOW).at(-1)?.active ?? 0;
    sqlite.prepare("delete from members where id = ?").run(leaver);
    expect(weeklyActiveMembers(org.organizationId, NOW).at(-1)?.active).toBe(before);
  });

  it("are backfilled by the migration to exactly what the trigger keeps", () => {
    const file = fs.readdirSync(MIGRATIONS_FOLDER).find((name) => name.endsWith("_activity_trends.sql")) ?? "";
    const migrationSql = fs.readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8");
    expect(migrationSql.replace(/^\s*--.*$/gm, "")).not.toMatch(/DROP TABLE|__new_/i);
    const backfill = migrationSql
      .split("--> statement-breakpoint")
      .find((part) => /INSERT INTO .organization_activity_gaps. .*\n\s*SELECT .m.\.`organization_id`, .g./.test(part));
    expect(backfill).toBeDefined();
    const kept = gaps(org.organizationId);
    sqlite.exec("delete from organization_activity_gaps");
    sqlite.exec(backfill ?? "");
    expect(gaps(org.organizationId)).toEqual(kept);
  });
});
