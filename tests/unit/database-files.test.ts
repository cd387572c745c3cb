// contentDifferences, which decides whether a replica's restore holds what a stopped database holds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentDifferences } from "../../scripts/database-files.js";

let folder: string;
const opened: Database.Database[] = [];
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "roster-compare-"));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** A WAL-mode database like the app's, with a rowid table, a WITHOUT ROWID table and Litestream's own table. */
function makeDatabase(name: string, seq: number): { file: string; db: Database.Database } {
  const file = path.join(folder, name);
  const db = new Database(file);
  db.pragma("journal_mode = wal");
  db.exec(`
    create table notes (body text);
    create table settings (key text primary key, value text) without rowid;
    create table _litestream_seq (id integer primary key, seq integer);
    insert into notes values ('a'), ('b');
    insert into settings values ('lang', 'sv');
    insert into _litestream_seq values (1, ${seq});
  `);
  opened.push(db);
  return { file, db };
}

describe("contentDifferences", () => {
  it("finds none between databases with the same data, whatever Litestream's own tables hold", () => {
    const a = makeDatabase("a.db", 1);
    const b = makeDatabase("b.db", 7);
    expect(contentDifferences(a.file, b.file)).toEqual([]);
  });

  it("names the tables whose rows differ, a repeated row included", () => {
    const a = makeDatabase("a.db", 1);
    const b = makeDatabase("b.db", 1);
    b.db.exec("insert into notes values ('b'); update settings set value = 'en'");
    expect(contentDifferences(a.file, b.file)).toEqual(["notes", "settings"]);
    expect(contentDifferences(b.file, a.file)).toEqual(["notes", "settings"]);
  });

  it("says schema when a table is missing", () => {
    const a = makeDatabase("a.db", 1);
    const b = makeDatabase("b.db", 1);
    a.db.exec("create table later (x)");
    expect(contentDifferences(a.file, b.file)).toEqual(["schema"]);
  });

  it("reads what is still in the WAL", () => {
    const a = makeDatabase("a.db", 1);
    const b = makeDatabase("b.db", 1);
    a.db.pragma("wal_autocheckpoint = 0");
    a.db.exec("insert into notes values ('only in the WAL')");
    expect(contentDifferences(a.file, b.file)).toEqual(["notes"]);
  });
});
