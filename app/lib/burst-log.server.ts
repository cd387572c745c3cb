// Logs a recurring failure once per burst: the first error, a reminder at most once per interval while it lasts, the recovery.
export interface BurstLog {
  failed(error: unknown): void;
  succeeded(): void;
}

export interface BurstLogOptions {
  /** What failed, e.g. "activity tracking: could not write last_active_at". */
  what: string;
  /** While the failure lasts, log again at most this often (ms). */
  reminderMs?: number;
  now?: () => number;
  log?: Pick<Console, "error" | "warn">;
}

export function createBurstLog({
  what,
  reminderMs = 60_000,
  now = Date.now,
  log = console,
}: BurstLogOptions): BurstLog {
  let failing = false;
  let loggedAt = 0;
  let unreported = 0;
  let total = 0;
  return {
    failed(error) {
      total += 1;
      const at = now();
      if (failing && at - loggedAt < reminderMs) {
        unreported += 1;
        return;
      }
      const detail = failing ? ` (still failing; ${unreported} more failures since the last report)` : "";
      log.error(`${what}${detail}:`, error);
      failing = true;
      loggedAt = at;
      unreported = 0;
    },
    succeeded() {
      if (!failing) return;
      log.warn(`${what}: recovered after ${total} failed attempts`);
      failing = false;
      unreported = 0;
      total = 0;
    },
  };
}
