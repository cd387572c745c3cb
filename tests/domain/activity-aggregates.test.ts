// The members page's summary and chart read per-organization aggregates kept by triggers: they must equal a
// brute-force count over members and member_activity_days, whoever writes (the activity flush, admin actions, SQL).
import "../support/app-database";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { beforeEach, describe, expect, it } from "vitest";
import { createActivityStore } from "~/activity/store.server";
import { activeMembersPerDay, activitySummary, CHART_DAYS, dormantCountFor } from "~/activity/summary.server";
import { sqlite } from "~/db/client.server";
import { MIGRATIONS_FOLDER } from "~/db/open.server";
import { DAY, HOUR, MINUTE, utcDay } from "~/lib/time";
import { countMembers, dormantMembersFor } from "~/members/member-list.server";
import { deactivateMembers, reactivateMember, removeMember } from "~/members/members.server";
import { addMember, newOrganization, type TestMember, type TestOrganization } from "../support/domain";

const NOW = Date.UTC(2026, 5, 15, 13, 27, 11, 123);
const store = createActivityStore(sqlite);

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bruteSummary(organizationId: number, now: number) {
  const current = sqlite
    .prepare("select count(*) from members where organization_id = ? and deactivated_at is null")
    .pluck()
    .get(organizationId) as number;
  const count = (status: "active30" | "never" | "inactive90") => countMembers(organizationId, { q: "", status }, now);
  return { members: current, active30: count("active30"), never: count("never"), inactive90: count("inactive90") };
}

function bruteChart(organizationId: number, now: number) {
  const first = utcDay(now) - (CHART_DAYS - 1) * DAY;
  const rows = sqlite
    .prepare(
      `select d.day, count(*) as active from member_activity_days d join members m on m.id = d.member_id
       where m.organization_id = ? and d.day >= ? group by d.day`,
    )
    .all(organizationId, first) as { day: number; active: number }[];
  const byDay = new Map(rows.map((row) => [row.day, row.active]));
  return Array.from({ length: CHART_DAYS }, (_, index) => ({
    day: first + index * DAY,
    active: byDay.get(first + index * DAY) ?? 0,
  }));
}

function setLastActive(memberId: number, at: number | null) {
  sqlite.prepare("update members set last_active_at = ? where id = ?").run(at, memberId);
}

/** What the activity flush writes: last_active_at (if later) and the member's day. */
function active(memberId: number, at: number) {
  store.write([{ memberId, at, notAfter: at }]);
}

/** Times that sit on the edges of the windows and of UTC days, as seen from `now`. */
function edgeTimes(now: number): number[] {
  const edges = [now - 30 * DAY, now - 90 * DAY];
  return edges.flatMap((edge) => [
    edge - 1,
    edge,
    edge + 1,
    utcDay(edge),
    utcDay(edge) - 1,
    utcDay(edge) + DAY - 1,
    utcDay(edge) + DAY,
  ]);
}

/** A member who has never been active (addMember signs them in, which records activity now). */
function newcomer(): TestMember {
  const member = addMember(org, [org.roles.member]);
  setLastActive(member.memberId, null);
  return member;
}

let org: TestOrganization;
let admin: TestMember;

beforeEach(() => {
  org = newOrganization();
  admin = addMember(org, [org.roles.admin]);
});

describe("the activity aggregates", () => {
  it("give exactly the brute-force counts and chart on generated data, edges of the windows included", () => {
    const next = random(20261128);
    const people = Array.from({ length: 300 }, () => newcomer());
    const edges = edgeTimes(NOW);
    for (const [index, person] of people.entries()) {
      const roll = next();
      if (roll < 0.1) continue; // never active
      const at = index < edges.length ? (edges[index] as number) : NOW - Math.floor(next() * 200 * DAY);
      // Most through the activity writer, with a few earlier days; some written directly, as admins' tools might.
      if (roll < 0.8) {
        active(person.memberId, at - 3 * DAY);
        active(person.memberId, at);
      } else {
        setLastActive(person.memberId, at);
      }
    }
    const deactivated = people.filter((_, index) => index % 17 === 3).map((person) => person.memberId);
    expect(deactivateMembers(org.owner(), deactivated)).toMatchObject({ ok: true });
    setLastActive(org.ownerMemberId, NOW - 95 * DAY);

    const summary = activitySummary(org.organizationId, NOW);
    for (const count of [summary.active30, summary.never, summary.inactive90]) expect(count).toBeGreaterThan(20);

    for (const now of [NOW, NOW + 7 * HOUR, NOW - 13 * MINUTE, utcDay(NOW), utcDay(NOW) + DAY - 1]) {
      expect(activitySummary(org.organizationId, now)).toEqual(bruteSummary(org.organizationId, now));
      expect(activeMembersPerDay(org.organizationId, now)).toEqual(bruteChart(org.organizationId, now));
    }
  });

  it("follow deactivation, reactivation, removal and time moving backwards", () => {
    const a = newcomer();
    const b = newcomer();
    active(a.memberId, NOW - 100 * DAY);
    active(b.memberId, NOW - HOUR);
    const check = () => expect(activitySummary(org.organizationId, NOW)).toEqual(bruteSummary(org.organizationId, NOW));
    check();
    deactivateMembers(org.owner(), [a.memberId]);
    check();
    reactivateMember(org.owner(), a.memberId);
    check();
    setLastActive(b.memberId, NOW - 200 * DAY);
    check();
    setLastActive(b.memberId, null);
    check();
    removeMember(org.owner(), a.memberId);
    check();
  });

  it("keep a removed member's active days on the chart: they were active that day", () => {
    const leaver = newcomer();
    const stayer = newcomer();
    active(leaver.memberId, NOW - 2 * DAY);
    active(stayer.memberId, NOW - 2 * DAY);
    const twoDaysAgo = (chart: { day: number; active: number }[]) =>
      chart.find((entry) => entry.day === utcDay(NOW - 2 * DAY))?.active;
    expect(twoDaysAgo(activeMembersPerDay(org.organizationId, NOW))).toBe(2);
    expect(removeMember(org.owner(), leaver.memberId)).toMatchObject({ ok: true });
    expect(twoDaysAgo(activeMembersPerDay(org.organizationId, NOW))).toBe(2);
    expect(activitySummary(org.organizationId, NOW)).toEqual(bruteSummary(org.organizationId, NOW));
  });

  it("count a member's day once however often the writer records it", () => {
    const member = newcomer();
    for (const minutes of [0, 6, 12, 400]) active(member.memberId, utcDay(NOW) + minutes * MINUTE);
    expect(activeMembersPerDay(org.organizationId, NOW).at(-1)?.active).toBe(1);
  });

  it("count the dormant members the bulk deactivation would pick, without loading them", () => {
    const dormant = Array.from({ length: 5 }, () => newcomer());
    for (const member of dormant) active(member.memberId, NOW - 120 * DAY);
    active(org.ownerMemberId, NOW - 400 * DAY);
    setLastActive(admin.memberId, NOW - 91 * DAY);
    deactivateMembers(org.owner(), [dormant[0]?.memberId ?? 0]);
    for (const actor of [org.owner(), admin.actor()]) {
      const picked = dormantMembersFor(actor, NOW);
      expect(picked.ok && picked.memberIds.length).toBe(dormantCountFor(actor, NOW));
    }
    expect(dormantCountFor(admin.actor(), NOW)).toBe(4);
    expect(dormantCountFor(org.owner(), NOW)).toBe(5);
  });

  it("are kept by triggers that exist after every migration (a table rebuild would drop them)", () => {
    const triggers = sqlite
      .prepare("select name from sqlite_master where type = 'trigger' order by name")
      .pluck()
      .all();
    expect(triggers).toEqual(
      expect.arrayContaining([
        "organization_activity_days_count",
        "organization_last_active_days_delete",
        "organization_last_active_days_insert",
        "organization_last_active_days_update",
      ]),
    );
  });
});

describe("the aggregates' migration", () => {
  it("backfills both aggregates from the rows already there, without rebuilding a table", () => {
    const file = fs.readdirSync(MIGRATIONS_FOLDER).find((name) => name.endsWith("_activity_aggregates.sql")) ?? "";
    const migrationSql = fs.readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8");
    expect(migrationSql.replace(/^\s*--.*$/gm, "")).not.toMatch(/DROP TABLE|__new_/i);

    // A database migrated up to the migration before, with activity in it.
    const folder = fs.mkdtempSync(path.join(path.dirname(sqlite.name), "aggregates-"));
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"));
    const index = journal.entries.findIndex((entry: { tag: string }) => `${entry.tag}.sql` === file);
    const before = { ...journal, entries: journal.entries.slice(0, index) };
    fs.mkdirSync(path.join(folder, "meta"));
    fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(before));
    for (const entry of before.entries) {
      fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
    }
    const old = new Database(path.join(folder, "old.db"));
    old.pragma("foreign_keys = ON");
    migrate(drizzle(old), { migrationsFolder: folder });
    old.exec(`
      INSERT INTO users (id, email, name, created_at) VALUES (1, 'o@example.com', 'O', 0), (2, 'm@example.com', 'M', 0),
        (3, 'n@example.com', 'N', 0);
      INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', 0), (2, 'Beta', 0);
      INSERT INTO members (id, organization_id, user_id, is_owner, created_at, last_active_at, deactivated_at) VALUES
        (1, 1, 1, 1, 0, ${NOW - HOUR}, NULL), (2, 1, 2, 0, 0, ${NOW - 100 * DAY}, NULL), (3, 1, 3, 0, 0, NULL, NULL),
        (4, 2, 2, 1, 0, ${NOW - 40 * DAY}, NULL), (5, 2, 3, 0, 0, ${NOW - DAY}, ${NOW});
      INSERT INTO member_activity_days (member_id, day) VALUES (1, ${utcDay(NOW)}), (1, ${utcDay(NOW - DAY)}),
        (2, ${utcDay(NOW - DAY)}), (5, ${utcDay(NOW - DAY)}), (4, ${utcDay(NOW - 40 * DAY)});
    `);
    old.close();

    const upgraded = new Database(path.join(folder, "old.db"));
    migrate(drizzle(upgraded), { migrationsFolder: MIGRATIONS_FOLDER });
    const rows = (table: string) => upgraded.prepare(`select * from ${table} order by 1, 2`).all();
    expect(rows("organization_activity_days")).toEqual([
      { organization_id: 1, day: utcDay(NOW - DAY), active_members: 2 },
      { organization_id: 1, day: utcDay(NOW), active_members: 1 },
      { organization_id: 2, day: utcDay(NOW - 40 * DAY), active_members: 1 },
      { organization_id: 2, day: utcDay(NOW - DAY), active_members: 1 },
    ]);
    expect(rows("organization_last_active_days")).toEqual([
      { organization_id: 1, day: -1, members: 1, owners: 0 },
      { organization_id: 1, day: utcDay(NOW - 100 * DAY), members: 1, owners: 0 },
      { organization_id: 1, day: utcDay(NOW - HOUR), members: 1, owners: 1 },
      { organization_id: 2, day: utcDay(NOW - 40 * DAY), members: 1, owners: 1 },
    ]);
    upgraded.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
