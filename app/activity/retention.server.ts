// Prunes activity history older than ACTIVITY_HISTORY_DAYS, once a day, in small transactions that never wait for a
// lock and yield to requests between batches (docs/decisions/021-member-page-and-trends.md).
import type Database from "better-sqlite3";
import { type BurstLog, createBurstLog } from "~/lib/burst-log.server";
import { DAY, MINUTE, utcDay } from "~/lib/time";

export interface ActivityPruner {
  /**
   * Deletes the day rows (members' days, then the organizations' per-day aggregates) older than `horizonDays` before
   * `now`'s UTC day, `batchSize` members or organizations per transaction, yielding to the event loop between them.
   * Resolves with the rows deleted; rejects if a batch fails (busy, read-only…): the next run takes over.
   */
  prune(now?: number): Promise<number>;
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createActivityPruner(
  sqlite: Database.Database,
  { horizonDays, batchSize = 200 }: { horizonDays: number; batchSize?: number },
): ActivityPruner {
  // Each delete seeks a primary key, (member_id, day) or (organization_id, day): only the rows being pruned are read.
  const owners = {
    members: sqlite
      .prepare<[number, number], number>("SELECT id FROM members WHERE id > ? ORDER BY id LIMIT ?")
      .pluck(),
    organizations: sqlite
      .prepare<[number, number], number>("SELECT id FROM organizations WHERE id > ? ORDER BY id LIMIT ?")
      .pluck(),
  };
  const deletes = {
    members: [sqlite.prepare<[number, number]>("DELETE FROM member_activity_days WHERE member_id = ? AND day < ?")],
    organizations: [
      sqlite.prepare<[number, number]>("DELETE FROM organization_activity_days WHERE organization_id = ? AND day < ?"),
      sqlite.prepare<[number, number]>("DELETE FROM organization_activity_gaps WHERE organization_id = ? AND day < ?"),
    ],
  };
  const busyTimeoutMs = sqlite.pragma("busy_timeout", { simple: true }) as number;

  /** One batch in one IMMEDIATE transaction that fails at once on a lock: the ids done and the rows deleted. */
  function batch(kind: keyof typeof owners, after: number, cutoff: number) {
    sqlite.pragma("busy_timeout = 0");
    try {
      return sqlite
        .transaction(() => {
          const ids = owners[kind].all(after, batchSize);
          let deleted = 0;
          for (const id of ids) for (const statement of deletes[kind]) deleted += statement.run(id, cutoff).changes;
          return { last: ids.at(-1), deleted };
        })
        .immediate();
    } finally {
      sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
  }

  return {
    async prune(now = Date.now()) {
      const cutoff = utcDay(now) - horizonDays * DAY;
      let deleted = 0;
      for (const kind of ["members", "organizations"] as const) {
        let after = 0;
        for (;;) {
          const done = batch(kind, after, cutoff);
          deleted += done.deleted;
          if (done.last === undefined) break;
          after = done.last;
          await yieldToRequests();
        }
      }
      return deleted;
    },
  };
}

/**
 * Runs the pruner a minute after start and then once a day (timers that never keep a stopping process alive). A failed
 * run is logged once per burst and tried again an hour later.
 */
export function scheduleActivityPruning(
  pruner: ActivityPruner,
  failures: BurstLog = createBurstLog({ what: "activity history: could not prune old days" }),
): void {
  const run = (delay: number) => {
    setTimeout(() => {
      pruner.prune().then(
        () => {
          failures.succeeded();
          run(DAY);
        },
        (error: unknown) => {
          failures.failed(error);
          run(60 * MINUTE);
        },
      );
    }, delay).unref();
  };
  run(MINUTE);
}
