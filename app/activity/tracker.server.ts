// The debounced activity tracker: decides in memory whether a member is due, queues due members, writes them once per tick.
import { type BurstLog, createBurstLog } from "~/lib/burst-log.server";
import type { ActivityStore, ActivityWrite } from "./store.server";

export interface ActivityTrackerOptions {
  store: ActivityStore;
  /** At most one write per member per window (ms). */
  windowMs: number;
  now?: () => number;
  /** After a failed write, try again this much later (ms), with or without new requests. */
  retryMs?: number;
  failures?: BurstLog;
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
}

export function createActivityTracker({
  store,
  windowMs,
  now = Date.now,
  retryMs = 1000,
  failures = createBurstLog({ what: "activity tracking: could not write last_active_at" }),
}: ActivityTrackerOptions): ActivityTracker {
  // member id → when this process last queued a write for it. Re-inserted on every write, so the Map's order is the
  // order of those times and forgetting the stale ones stops at the first entry still inside the window.
  const recent = new Map<number, number>();
  // member id → its pending write; a newer write for the same member replaces an older one.
  const queue = new Map<number, ActivityWrite>();
  let flushScheduled = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

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

  function flush({ waitForLock = false } = {}) {
    flushScheduled = false;
    if (queue.size === 0) return;
    // Once per tick with new entries, so the map cannot grow past the members active within the window.
    forgetStale(now());
    try {
      const unchanged = store.write(queue.values(), { waitForLock });
      queue.clear();
      // Someone else (another process) wrote inside the window: forget our time, so the next request decides from the
      // row it loads, which now holds theirs.
      for (const memberId of unchanged) recent.delete(memberId);
      clearTimeout(retryTimer);
      retryTimer = undefined;
      failures.succeeded();
    } catch (error) {
      failures.failed(error);
      retryLater();
    }
  }

  return {
    touch(memberId, lastActiveAt) {
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
  };
}
