// Writes member activity to SQLite: a batch of members in one transaction, each a conditional last_active_at update plus its UTC day.
import type Database from "better-sqlite3";
import { utcDay } from "~/lib/time";

export interface ActivityWrite {
  memberId: number;
  /** When the member was active (epoch ms). */
  at: number;
  /**
   * Written only if the stored last_active_at is NULL or at most this: `at - window` for debounced writes (another
   * process may have written within the window), `at` for immediate ones. Either way time never moves backwards.
   */
  notAfter: number;
}

export interface ActivityStore {
  /**
   * Writes the batch in one transaction and returns the members whose last_active_at it left alone (a time inside
   * the window was already stored, or the member is gone). Throws when the database cannot take it (busy, read-only,
   * full, closed…). Unless `waitForLock`, it never waits for another connection's lock: the flush runs on the
   * request thread, and a busy database must not stall requests.
   */
  write(batch: Iterable<ActivityWrite>, options?: { waitForLock?: boolean }): number[];
}

// Plain better-sqlite3 statements, prepared once: this is the hot write path. The update is conditional (only when
// last_active_at is NULL or older than the window), so it holds across processes and never moves time backwards, and
// the member's UTC day is inserted-or-ignored in the same transaction (SPEC §4).
/** At shutdown the last flush may wait this long for another process's lock (nothing else is waiting by then). */
const SHUTDOWN_LOCK_WAIT_MS = 5_000;

export function createActivityStore(sqlite: Database.Database): ActivityStore {
  const touchMember = sqlite.prepare<[number, number, number]>(
    "UPDATE members SET last_active_at = ? WHERE id = ? AND (last_active_at IS NULL OR last_active_at <= ?)",
  );
  // The SELECT yields no row for a member deleted since it was queued: OR IGNORE does not cover foreign keys.
  const recordDay = sqlite.prepare<[number, number]>(
    "INSERT OR IGNORE INTO member_activity_days (member_id, day) SELECT id, ? FROM members WHERE id = ?",
  );
  const writeBatch = sqlite.transaction((batch: Iterable<ActivityWrite>) => {
    const unchanged: number[] = [];
    for (const { memberId, at, notAfter } of batch) {
      if (touchMember.run(at, memberId, notAfter).changes === 0) unchanged.push(memberId);
      recordDay.run(utcDay(at), memberId);
    }
    return unchanged;
  });
  const busyTimeoutMs = sqlite.pragma("busy_timeout", { simple: true }) as number;

  return {
    write(batch, { waitForLock = false } = {}) {
      sqlite.pragma(`busy_timeout = ${waitForLock ? SHUTDOWN_LOCK_WAIT_MS : 0}`);
      try {
        return writeBatch.immediate(batch);
      } finally {
        sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
      }
    },
  };
}
