// The sort-keys migration (drizzle/0003_member_sort_keys.sql) on a database filled at the migration before it: columns
// added and backfilled without a table rebuild, the backfill idempotent, the triggers in place.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase } from "~/db/open.server";
import { DAY } from "~/lib/time";
import { makeDataDir } from "../support/server";

// Found by name, not number: migrations merged from other branches may renumber it.
const TAG = (
  JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")).entries as { tag: string }[]
).find((entry) => entry.tag.endsWith("_member_sort_keys"))?.tag;
if (!TAG) throw new Error("the member sort keys migration is missing");
const TABLES = ["users", "organizations", "members", "roles", "member_roles", "sessions", "invitations"];
const T = Date.UTC(2026, 10, 20, 12);

/** A copy of drizzle/ that stops before the sort-keys migration: a database deployed before it. */
function migrationsBefore(dir: string): string {
  const folder = path.join(dir, "migrations-before");
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"));
  const index = journal.entries.findIndex((entry: { tag: string }) => entry.tag === TAG);
  journal.entries = journal.entries.slice(0, index);
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) {
    fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  }
  return folder;
}

function fill(sqlite: Database.Database) {
  sqlite.exec(`
    INSERT INTO users (id, email, name, password_hash, created_at) VALUES
      (1, 'owner@example.com', 'Olivia Owner', 'hash', ${T}),
      (2, 'mia@example.com', 'Mia Member', 'hash', ${T}),
      (3, 'ivan@example.com', '', NULL, ${T});
    INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', ${T}), (2, 'Beta', ${T});
    INSERT INTO roles (id, organization_id, name, builtin, permissions, created_at) VALUES
      (1, 1, 'Admin', 'admin', '["members.manage","activity.view"]', ${T}),
      (2, 1, 'Member', 'member', '[]', ${T}),
      (3, 1, 'HR', NULL, '["activity.view"]', ${T}),
      (4, 2, 'Admin', 'admin', '["members.manage","activity.view"]', ${T}),
      (5, 2, 'Member', 'member', '[]', ${T});
    INSERT INTO members (id, organization_id, user_id, is_owner, created_at, joined_at, last_active_at) VALUES
      (1, 1, 1, 1, ${T}, ${T}, ${T}),
      (2, 1, 2, 0, ${T}, ${T}, ${T - DAY}),
      (3, 1, 3, 0, ${T}, NULL, NULL),
      (4, 2, 2, 1, ${T}, ${T}, NULL);
    INSERT INTO member_roles (member_id, role_id) VALUES (1, 1), (2, 3), (2, 2), (3, 2), (4, 4);
  `);
}

type Row = Record<string, unknown>;
const snapshot = (sqlite: Database.Database) =>
  Object.fromEntries(
    TABLES.map((table) => [table, sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Row[]]),
  );

const migrationSql = () => fs.readFileSync(path.join(MIGRATIONS_FOLDER, `${TAG}.sql`), "utf8");

describe("the sort-keys migration on a database from before it", () => {
  let before: Record<string, Row[]>;
  let upgraded: Database.Database;

  beforeAll(() => {
    const dir = makeDataDir("roster-sort-keys-migration-");
    const file = path.join(dir, "roster.db");
    const old = new Database(file);
    old.pragma("foreign_keys = ON");
    migrate(drizzle(old), { migrationsFolder: migrationsBefore(dir) });
    fill(old);
    before = snapshot(old);
    old.close();
    upgraded = openDatabase(file).sqlite;
  });

  it("only adds columns, backfills them and builds indexes and triggers: no table is rebuilt", () => {
    const statements = migrationSql()
      .split("--> statement-breakpoint")
      .map((chunk) => chunk.replace(/^\s*--.*$/gm, "").trim());
    for (const statement of statements) expect(statement).toMatch(/^(ALTER TABLE|UPDATE|CREATE (INDEX|TRIGGER))\b/);
    expect(migrationSql()).not.toMatch(/DROP TABLE|PRAGMA/i);
  });

  it("keeps every row of every table", () => {
    const after = snapshot(upgraded);
    for (const table of TABLES) {
      const rows =
        table === "members"
          ? after[table]?.map(({ name_sort, email_sort, roles_sort, reactivated_at, ...rest }) => rest)
          : after[table];
      expect(rows, table).toEqual(before[table]);
    }
    expect(upgraded.pragma("foreign_key_check")).toEqual([]);
  });

  it("backfills lower(name), the email and the role names A–Z for every member", () => {
    expect(upgraded.prepare("SELECT id, name_sort, email_sort, roles_sort FROM members ORDER BY id").all()).toEqual([
      { id: 1, name_sort: "olivia owner", email_sort: "owner@example.com", roles_sort: "Admin" },
      { id: 2, name_sort: "mia member", email_sort: "mia@example.com", roles_sort: "HR, Member" },
      { id: 3, name_sort: "", email_sort: "ivan@example.com", roles_sort: "Member" },
      { id: 4, name_sort: "mia member", email_sort: "mia@example.com", roles_sort: "Admin" },
    ]);
  });

  it("changes nothing when the backfill runs again", () => {
    const backfill = migrationSql()
      .split("--> statement-breakpoint")
      .map((chunk) => chunk.replace(/^\s*--.*$/gm, "").trim())
      .filter((statement) => /^UPDATE\b/.test(statement));
    expect(backfill).toHaveLength(1);
    for (const statement of backfill) expect(upgraded.prepare(statement).run().changes).toBe(0);
  });

  it("keeps the keys in step from then on (the triggers are installed)", () => {
    upgraded.prepare("UPDATE users SET name = 'Mia Renamed' WHERE id = 2").run();
    upgraded.prepare("UPDATE roles SET name = 'People' WHERE id = 3").run();
    expect(upgraded.prepare("SELECT name_sort, roles_sort FROM members WHERE id = 2").get()).toEqual({
      name_sort: "mia renamed",
      roles_sort: "Member, People",
    });
    expect(upgraded.prepare("SELECT name_sort FROM members WHERE id = 4").pluck().get()).toBe("mia renamed");
  });
});
