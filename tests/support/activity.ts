// Test-only instrumentation: a trigger logs every row update of members.last_active_at, so tests count real writes.
import type Database from "better-sqlite3";

export function logActivityWrites(sqlite: Database.Database): void {
  sqlite.exec(`
    CREATE TABLE IF NOT EXISTS test_activity_writes (member_id INTEGER NOT NULL, at INTEGER);
    CREATE TRIGGER IF NOT EXISTS test_log_activity_writes AFTER UPDATE OF last_active_at ON members
    BEGIN INSERT INTO test_activity_writes (member_id, at) VALUES (NEW.id, NEW.last_active_at); END;
  `);
}

/** The last_active_at values written for a member, oldest first (needs logActivityWrites first). */
export function activityWrites(sqlite: Database.Database, memberId: number): number[] {
  return sqlite
    .prepare("SELECT at FROM test_activity_writes WHERE member_id = ? ORDER BY rowid")
    .pluck()
    .all(memberId) as number[];
}

export function lastActiveAt(sqlite: Database.Database, memberId: number): number | null {
  return sqlite.prepare("SELECT last_active_at FROM members WHERE id = ?").pluck().get(memberId) as number | null;
}

export function activityDays(sqlite: Database.Database, memberId: number): number[] {
  return sqlite
    .prepare("SELECT day FROM member_activity_days WHERE member_id = ? ORDER BY day")
    .pluck()
    .all(memberId) as number[];
}
