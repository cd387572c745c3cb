// The debounced activity tracker: decides in memory whether a member is due, queues due members, writes them once per tick.
import { type BurstLog, createBurstLog } from "~/lib/burst-log.server";
import type { ActivityWrite } from "./store.server";

/**
 * Where due members go: the database (store.server.ts) answers at once; the primary, for a LiteFS replica
 * (forward.server.ts), answers later. Either way the answer is the members whose last_active_at was left alone, and a
 * failure is thrown or rejected.
 */
export interface ActivitySink {
  write(batch: Iterable<ActivityWrite>, options?: { waitForLock?: boolean }): number[] | Promise<number[]>;
}

/** Running totals since the process started, read by the metrics (app/metrics/activity-metrics.server.ts). */
export interface ActivityStats {
  /** Requests counted as activity (touch calls), due or not. */
  touches: number;
  /** Member writes the database (or the primary) stored. */
  written: number;
  /** Member writes left alone: a time inside the window was already stored, or the member is gone. */
  unchanged: number;
  /** Flushes that failed (each is retried). */
  failedFlushes: number;
  /** Member writes given up after `maxAttempts` failed flushes in a row. */
  dropped: number;
}

export interface ActivityTrackerOptions {
  store: ActivitySink;
  /** At most one write per member per window (ms). */
  windowMs: number;
  now?: () => number;
  /** After a failed write, try again this much later (ms), with or without new requests. */
  retryMs?: number;
  failures?: BurstLog;
  /** After this many failed flushes in a row, what is queued is dropped (counted in stats.dropped). Default: never. */
  maxAttempts?: number;
  /** Told how long each flush took (seconds), until its answer for a forwarded batch. */
  observeFlush?: (seconds: number) => void;
}

export interface ActivityTracker {
  /**
   * A request of an active member whose row (just loaded by the session lookup) says `lastActiveAt`. Queues a write
   * when the member is due and schedules the flush on a microtask. Runs no SQL and never throws.
   */
  touch(memberId: number, lastActiveAt: number | null): void;
  /** Writes the member's activity now, not debounced (sign-in and the like). On failure the write stays queued. */
  recordNow(memberId: number, at?: number): void;
  /** Writes what is queued, in one transaction. `waitForLock` at shutdown, where waiting for a lock is fine. */
  flush(options?: { waitForLock?: boolean }): void;
  /** Members queued and not written yet. */
  readonly queued: number;
  /** Members remembered as written (or queued) within the window: the in-memory map, bounded by that. */
  readonly remembered: number;
  readonly stats: Readonly<ActivityStats>;
}

export function createActivityTracker({
  store,
  windowMs,
  now = Date.now,
  retryMs = 1000,
  failures = createBurstLog({ what: "activity tracking: could not write last_active_at" }),
  maxAttempts = Number.POSITIVE_INFINITY,
  observeFlush,
}: ActivityTrackerOptions): ActivityTracker {
  // member id → when this process last queued a write for it. Re-inserted on every write, so the Map's order is the
  // order of those times and forgetting the stale ones stops at the first entry still inside the window.
  const recent = new Map<number, number>();
  // member id → its pending write; a newer write for the same member replaces an older one.
  const queue = new Map<number, ActivityWrite>();
  let flushScheduled = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // A forwarded batch awaiting the primary's answer: one at a time, so answers cannot arrive out of order.
  let sending = false;
  let failedInARow = 0;
  const stats: ActivityStats = { touches: 0, written: 0, unchanged: 0, failedFlushes: 0, dropped: 0 };

  function forgetStale(at: number) {
    for (const [memberId, queuedAt] of recent) {
      if (at - queuedAt < windowMs) break;
      recent.delete(memberId);
    }
  }

  function enqueue(memberId: number, at: number, notAfter: number) {
    recent.delete(memberId);
    recent.set(memberId, at);
    queue.set(memberId, { memberId, at, notAfter });
  }

  function retryLater() {
    if (retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      flush();
    }, retryMs);
    // A pending retry must not keep a stopping process alive; the shutdown flush takes over.
    retryTimer.unref();
  }

  function succeeded(batchSize: number, unchanged: number[], started: number) {
    // Someone else (another process) wrote inside the window: forget our time, so the next request decides from the
    // row it loads, which now holds theirs.
    for (const memberId of unchanged) recent.delete(memberId);
    stats.written += batchSize - unchanged.length;
    stats.unchanged += unchanged.length;
    observeFlush?.((performance.now() - started) / 1000);
    clearTimeout(retryTimer);
    retryTimer = undefined;
    failedInARow = 0;
    failures.succeeded();
  }

  function failed(error: unknown) {
    stats.failedFlushes += 1;
    failures.failed(error);
    failedInARow += 1;
    if (failedInARow >= maxAttempts) {
      stats.dropped += queue.size;
      // Forgotten too, so that each member's next request queues a write again instead of waiting out the window.
      for (const memberId of queue.keys()) recent.delete(memberId);
      queue.clear();
      failedInARow = 0;
      return;
    }
    retryLater();
  }

  function flush({ waitForLock = false } = {}) {
    flushScheduled = false;
    if (queue.size === 0 || sending) return;
    // Once per tick with new entries, so the map cannot grow past the members active within the window.
    forgetStale(now());
    const started = performance.now();
    const size = queue.size;
    let answer: number[] | Promise<number[]>;
    try {
      answer = store.write(queue.values(), { waitForLock });
    } catch (error) {
      failed(error);
      return;
    }
    if (Array.isArray(answer)) {
      queue.clear();
      succeeded(size, answer, started);
      return;
    }
    // Forwarded: the batch leaves the queue now (the sink copied it); if it fails, its writes come back unless a
    // newer one for the same member was queued meanwhile.
    const batch = new Map(queue);
    queue.clear();
    sending = true;
    answer
      .then(
        (unchanged) => succeeded(size, unchanged, started),
        (error: unknown) => {
          for (const [memberId, write] of batch) if (!queue.has(memberId)) queue.set(memberId, write);
          failed(error);
        },
      )
      .finally(() => {
        sending = false;
        if (queue.size > 0 && retryTimer === undefined) flush();
      });
  }

  return {
    touch(memberId, lastActiveAt) {
      stats.touches += 1;
      const at = now();
      if (lastActiveAt !== null && at - lastActiveAt < windowMs) return;
      const queuedAt = recent.get(memberId);
      if (queuedAt !== undefined && at - queuedAt < windowMs) return;
      enqueue(memberId, at, at - windowMs);
      // While a retry is pending the database is failing: the retry writes this too.
      if (flushScheduled || retryTimer !== undefined) return;
      flushScheduled = true;
      queueMicrotask(flush);
    },
    recordNow(memberId, at = now()) {
      enqueue(memberId, at, at);
      flush();
    },
    flush,
    get queued() {
      return queue.size;
    },
    get remembered() {
      return recent.size;
    },
    stats,
  };
}
