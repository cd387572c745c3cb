// Opens a Roster SQLite database file with the pragmas the app relies on and applies pending migrations.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;

export interface OpenDatabase {
  db: Db;
  sqlite: Database.Database;
}

export const MIGRATIONS_FOLDER = path.resolve("drizzle");

/** Roster's drizzle schema over an open better-sqlite3 connection (the app's, or a test's or the bench's own). */
export function drizzleOn(sqlite: Database.Database): Db {
  return drizzle(sqlite, { schema });
}

export function openDatabase(file: string, options: { migrate?: boolean; busyTimeoutMs?: number } = {}): OpenDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  const db = drizzleOn(sqlite);
  if (options.migrate ?? true) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, sqlite };
}
