import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase } from "~/db/open.server";
import { DAY, HOUR } from "~/lib/time";
import { makeDataDir } from "../support/server";

const TABLES = ["users", "organizations", "members", "roles", "member_roles", "sessions", "invitations"];
const T = Date.UTC(2026, 10, 20, 23, 30); // late in a UTC day, so "the day" is not the day of T + 1 hour

/** A copy of drizzle/ that stops at the foundation migration: what a database deployed before this feature had. */
function foundationOnlyMigrations(dir: string): string {
  const folder = path.join(dir, "migrations-0000");
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"));
  journal.entries = journal.entries.filter((entry: { tag: string }) => entry.tag === "0000_foundation");
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  fs.copyFileSync(path.join(MIGRATIONS_FOLDER, "0000_foundation.sql"), path.join(folder, "0000_foundation.sql"));
  return folder;
}

function fillFoundationDatabase(sqlite: Database.Database) {
  sqlite.exec(`
    INSERT INTO users (id, email, name, password_hash, created_at) VALUES
      (1, 'owner@example.com', 'Olivia Owner', 'hash', ${T - 30 * DAY}),
      (2, 'mia@example.com', 'Mia Member', 'hash', ${T - 20 * DAY}),
      (3, 'ivan@example.com', 'Ivan Invited', NULL, ${T - 2 * DAY}),
      (4, 'dora@example.com', 'Dora Deactivated', 'hash', ${T - 90 * DAY});
    INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', ${T - 30 * DAY}), (2, 'Beta', ${T - 10 * DAY});
    INSERT INTO roles (id, organization_id, name, builtin, permissions, created_at) VALUES
      (1, 1, 'Admin', 'admin', '["members.manage","activity.view"]', ${T - 30 * DAY}),
      (2, 1, 'Member', 'member', '[]', ${T - 30 * DAY}),
      (3, 1, 'HR', NULL, '["activity.view"]', ${T - 5 * DAY}),
      (4, 2, 'Admin', 'admin', '["members.manage","activity.view"]', ${T - 10 * DAY}),
      (5, 2, 'Member', 'member', '[]', ${T - 10 * DAY});
    INSERT INTO members (id, organization_id, user_id, is_owner, created_at, joined_at, deactivated_at, last_sign_in_at) VALUES
      (1, 1, 1, 1, ${T - 30 * DAY}, ${T - 30 * DAY}, NULL, ${T}),
      (2, 1, 2, 0, ${T - 20 * DAY}, ${T - 20 * DAY}, NULL, ${T - 3 * DAY}),
      (3, 1, 3, 0, ${T - 2 * DAY}, NULL, NULL, NULL),
      (4, 1, 4, 0, ${T - 90 * DAY}, ${T - 90 * DAY}, ${T - DAY}, ${T - 80 * DAY}),
      (5, 2, 1, 1, ${T - 10 * DAY}, ${T - 10 * DAY}, NULL, ${T - 2 * HOUR}),
      (6, 2, 2, 0, ${T - 10 * DAY}, ${T - 10 * DAY}, NULL, NULL);
    INSERT INTO member_roles (member_id, role_id) VALUES (1, 1), (2, 2), (2, 3), (3, 2), (4, 2), (5, 4), (6, 5);
    INSERT INTO sessions (id, user_id, organization_id, created_at, expires_at) VALUES
      ('session-owner', 1, 1, ${T}, ${T + 30 * DAY}),
      ('session-owner-beta', 1, 2, ${T - 2 * HOUR}, ${T + 29 * DAY}),
      ('session-mia', 2, 1, ${T - 3 * DAY}, ${T + 27 * DAY});
    INSERT INTO invitations (id, organization_id, member_id, email, token_hash, invited_by_user_id, created_at, expires_at, accepted_at) VALUES
      (1, 1, 3, 'ivan@example.com', 'token-ivan', 1, ${T - 2 * DAY}, ${T + 5 * DAY}, NULL),
      (2, 1, 2, 'mia@example.com', 'token-mia', 1, ${T - 20 * DAY}, ${T - 13 * DAY}, ${T - 20 * DAY});
  `);
}

type Row = Record<string, unknown>;

function snapshot(sqlite: Database.Database): Record<string, Row[]> {
  return Object.fromEntries(
    TABLES.map((table) => [table, sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Row[]]),
  );
}

/** The hand-written data statements at the end of the migration (drizzle-kit writes only DDL). */
function backfillStatements(): string[] {
  const file = fs.readdirSync(MIGRATIONS_FOLDER).find((name) => name.endsWith("_activity.sql"));
  if (!file) throw new Error("the activity migration is missing");
  return fs
    .readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8")
    .split("--> statement-breakpoint")
    .map((chunk) => chunk.replace(/^\s*--.*$/gm, "").trim())
    .filter((statement) => /^(UPDATE|INSERT)\b/i.test(statement));
}

describe("the activity migration on a database from before it", () => {
  let before: Record<string, Row[]>;
  let upgraded: Database.Database;

  beforeAll(() => {
    const dir = makeDataDir("roster-migration-");
    const file = path.join(dir, "roster.db");
    const old = new Database(file);
    old.pragma("foreign_keys = ON");
    migrate(drizzle(old), { migrationsFolder: foundationOnlyMigrations(dir) });
    fillFoundationDatabase(old);
    before = snapshot(old);
    old.close();
    // Start-up as the app does it: open, apply pending migrations.
    upgraded = openDatabase(file).sqlite;
  });

  it("keeps every row of every table (no table rebuild, no cascade)", () => {
    const after = snapshot(upgraded);
    for (const table of TABLES) {
      // Columns added by later migrations are theirs to test (member-sort-keys-migration.test.ts).
      const rows =
        table === "members"
          ? after[table]?.map(({ last_active_at, name_sort, email_sort, roles_sort, reactivated_at, ...rest }) => rest)
          : after[table];
      expect(rows, table).toEqual(before[table]);
    }
    expect(before.member_roles).toHaveLength(7);
    expect(before.sessions).toHaveLength(3);
    expect(before.invitations).toHaveLength(2);
    expect(upgraded.pragma("foreign_key_check")).toEqual([]);
  });

  it("backfills last_active_at from each member's latest sign-in and leaves never-signed-in members NULL", () => {
    const lastActive = Object.fromEntries(
      (
        upgraded.prepare("SELECT id, last_active_at FROM members").all() as { id: number; last_active_at: number }[]
      ).map((row) => [row.id, row.last_active_at]),
    );
    expect(lastActive).toEqual({
      1: T,
      2: T - 3 * DAY,
      3: null, // invited, never came
      4: T - 80 * DAY, // deactivated: the time is kept
      5: T - 2 * HOUR, // the same user in another organization has its own time
      6: null,
    });
  });

  it("records the UTC day of that sign-in in member_activity_days", () => {
    const days = upgraded.prepare("SELECT member_id, day FROM member_activity_days ORDER BY member_id").all();
    const midnight = (at: number) =>
      Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth(), new Date(at).getUTCDate());
    expect(days).toEqual([
      { member_id: 1, day: midnight(T) },
      { member_id: 2, day: midnight(T - 3 * DAY) },
      { member_id: 4, day: midnight(T - 80 * DAY) },
      { member_id: 5, day: midnight(T - 2 * HOUR) },
    ]);
  });

  it("changes nothing when the backfill runs again", () => {
    const statements = backfillStatements();
    expect(statements).toHaveLength(2);
    const members = upgraded.prepare("SELECT * FROM members ORDER BY id").all();
    const days = upgraded.prepare("SELECT * FROM member_activity_days ORDER BY member_id, day").all();
    for (const statement of statements) expect(upgraded.prepare(statement).run().changes, statement).toBe(0);
    expect(upgraded.prepare("SELECT * FROM members ORDER BY id").all()).toEqual(members);
    expect(upgraded.prepare("SELECT * FROM member_activity_days ORDER BY member_id, day").all()).toEqual(days);
  });

  it("adds the (organization_id, last_active_at) index that the members page sorts by", () => {
    const plan = upgraded
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM members WHERE organization_id = ? ORDER BY last_active_at DESC")
      .all(1) as { detail: string }[];
    expect(plan.map((step) => step.detail).join("\n")).toContain("members_organization_last_active_idx");
  });
});
