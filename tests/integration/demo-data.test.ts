// `npm run seed:demo`: demo organizations with every kind of member, written through the app's row writers and
// activity store, and a sign-in that works against the built server.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/db/open.server";
import { DAY, utcDay } from "~/lib/time";
import { PENDING_INVITATIONS_PER_ORGANIZATION, seedDemo } from "../../scripts/demo-data";
import { Client } from "../support/client";
import { makeDataDir, projectRoot, startServer } from "../support/server";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function freshDatabase() {
  const dir = makeDataDir("roster-demo-");
  dirs.push(dir);
  return path.join(dir, "roster.db");
}

describe("demo data", () => {
  const now = Date.UTC(2026, 10, 28, 15, 0);
  const file = freshDatabase();
  const { sqlite } = openDatabase(file);
  const result = seedDemo(sqlite, {
    members: 2_000,
    organizations: 3,
    owner: { email: "owner@example.org", name: "Olivia Owner", passwordHash: null },
    now,
  });
  const count = (sql: string, ...params: unknown[]) =>
    sqlite
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  afterAll(() => sqlite.close());

  it("writes every kind of member in each organization, in realistic shares", () => {
    expect(result.organizations).toHaveLength(3);
    expect(count("select count(*) from members")).toBe(6_000);
    const share = (where: string) =>
      count(`select count(*) from members where organization_id = 1 and ${where}`) / 2_000;
    expect(share("last_active_at is null")).toBeCloseTo(0.1, 1);
    expect(share("deactivated_at is not null")).toBeCloseTo(0.05, 1);
    expect(share(`deactivated_at is null and last_active_at >= ${now - 30 * DAY}`)).toBeGreaterThan(0.3);
    expect(share(`deactivated_at is null and last_active_at < ${now - 90 * DAY}`)).toBeGreaterThan(0.2);
    expect(count("select count(*) from members where is_owner = 1")).toBe(3);
    expect(count("select count(*) from members where last_active_at > ? or deactivated_at > ?", now, now)).toBe(0);
  });

  it("gives members custom roles beside the built-in ones, and a dozen pending invitations", () => {
    const holders = (name: string) =>
      count(
        "select count(*) from member_roles mr join roles r on r.id = mr.role_id where r.organization_id = 1 and r.name = ?",
        name,
      );
    for (const role of ["Admin", "Member", "HR", "Managers", "Volunteers"]) expect(holders(role)).toBeGreaterThan(0);
    expect(
      count("select count(*) from members m where not exists (select 1 from member_roles where member_id = m.id)"),
    ).toBe(0);
    expect(count("select count(*) from invitations where organization_id = 1")).toBe(
      PENDING_INVITATIONS_PER_ORGANIZATION,
    );
    expect(count("select count(*) from members where joined_at is null and organization_id = 1")).toBe(
      PENDING_INVITATIONS_PER_ORGANIZATION,
    );
  });

  it("records activity days as the tracker does: each member's last day is their last_active_at's", () => {
    expect(result.activityDays).toBe(count("select count(*) from member_activity_days"));
    expect(
      count(
        `select count(*) from members m where last_active_at is not null
           and (select max(day) from member_activity_days where member_id = m.id) != last_active_at - last_active_at % ?`,
        DAY,
      ),
    ).toBe(0);
    expect(
      count(
        "select min(day) from member_activity_days where member_id in (select id from members where organization_id = 1 and last_active_at >= ?)",
        now - 7 * DAY,
      ),
    ).toBeGreaterThanOrEqual(utcDay(now) - 365 * DAY);
  });

  it("writes the same people for the same seed", () => {
    const again = openDatabase(freshDatabase()).sqlite;
    seedDemo(again, {
      members: 200,
      organizations: 1,
      owner: { email: "o@example.org", name: "O", passwordHash: null },
      now,
    });
    const other = openDatabase(freshDatabase()).sqlite;
    seedDemo(other, {
      members: 200,
      organizations: 1,
      owner: { email: "o@example.org", name: "O", passwordHash: null },
      now,
    });
    const people = (db: Database.Database) =>
      db
        .prepare("select u.email, m.last_active_at from members m join users u on u.id = m.user_id order by m.id")
        .all();
    expect(people(other)).toEqual(people(again));
    again.close();
    other.close();
  });
});

describe("npm run seed:demo", () => {
  it("fills a new database, prints the owner's sign-in, which works, and refuses a database that has organizations", async () => {
    const file = freshDatabase();
    const run = (...args: string[]) =>
      execFileSync(
        process.execPath,
        [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/seed-demo.ts", ...args],
        {
          cwd: projectRoot,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
    const output = run("--members", "300", "--orgs", "2", "--database", file);
    expect(output).toMatch(/2 organization\(s\), 600 members/);
    const email = /email: +(\S+)/.exec(output)?.[1];
    const password = /password: +(\S+)/.exec(output)?.[1];
    expect(email).toBe("owner@example.org");

    const server = await startServer({ dataDir: path.dirname(file) });
    try {
      const owner = new Client(server.url);
      const login = await owner.post("/login", { email: email ?? "", password: password ?? "" });
      expect(login.status).toBe(302);
      const page = await owner.get("/admin/members");
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Riverside Rowing Club");
    } finally {
      await server.stop();
    }
    expect(() => run("--members", "10", "--database", file)).toThrow(/already holds 2 organization/);
  }, 60_000);
});
