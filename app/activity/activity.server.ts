// The process's activity tracker: every request of an active member counts as activity (prefetches do not), written at
// most once per member per debounce window (SPEC §4); the session helper feeds it. On a LiteFS replica it sends its
// writes to the primary (docs/decisions/018-litefs-multi-node.md).
import { beforeDatabaseCloses, sqlite } from "~/db/client.server";
import { env } from "~/env.server";
import { primaryHostnameIfReplica } from "~/lib/replica.server";
import { singleton } from "~/lib/singleton.server";
import { metrics, observeActivityTracker } from "~/metrics/metrics.server";
import { replicaAwareSink } from "./forward.server";
import { createActivityPruner, scheduleActivityPruning } from "./retention.server";
import { type ActivityStore, type ActivityWrite, createActivityStore } from "./store.server";
import { type ActivitySink, type ActivityTracker, createActivityTracker } from "./tracker.server";

/** A replica retries a forward this many times (a second apart) before it drops the writes: the primary is gone. */
const FORWARD_MAX_ATTEMPTS = 30;

// The database's store: the tracker's on a single node or the primary, and the one forwarded batches are applied by.
const store = singleton("activityStore", (): ActivityStore => createActivityStore(sqlite));

function sink(): ActivitySink {
  if (env.liteFs === null || env.internalApiToken === null) return store;
  return replicaAwareSink({
    local: store,
    primaryHostname: primaryHostnameIfReplica,
    primaryPort: env.liteFs.primaryPort,
    token: env.internalApiToken,
    flyAppName: env.liteFs.flyAppName,
    forwarded: (outcome) => metrics.activityForwards.inc({ outcome }),
  });
}

function startTracker(): ActivityTracker | null {
  if (!env.activityTracking) return null;
  const tracker = createActivityTracker({
    store: sink(),
    windowMs: env.activityDebounceMs,
    maxAttempts: env.liteFs === null ? undefined : FORWARD_MAX_ATTEMPTS,
    observeFlush: (seconds) => metrics.activityFlushSeconds.observe(seconds),
  });
  observeActivityTracker(tracker);
  // Queued writes reach the database before it closes on SIGTERM/SIGINT.
  beforeDatabaseCloses(() => tracker.flush({ waitForLock: true }));
  return tracker;
}

// One tracker per process, like the connection it writes through (survives `remix dev` rebuilds); null when off.
const tracker = singleton("activityTracker", startTracker);

// History older than ACTIVITY_HISTORY_DAYS is pruned once a day by the server process, whether or not it tracks; on a
// LiteFS replica by the primary only (its deletions arrive by replication).
singleton("activityRetention", () => {
  const pruner = createActivityPruner(sqlite, { horizonDays: env.activityHistoryDays });
  scheduleActivityPruning({
    prune: (now) => (primaryHostnameIfReplica() === null ? pruner.prune(now) : Promise.resolve(0)),
  });
});

/** A prefetch is the browser guessing where the member goes next, not the member acting (`Purpose` is Chromium's). */
export function isPrefetch(request: Request): boolean {
  const purpose = request.headers.get("Sec-Purpose") ?? request.headers.get("Purpose");
  return purpose?.startsWith("prefetch") ?? false;
}

/**
 * Counts a request of an active member as activity: debounced, queued, written after the request's synchronous work
 * (no extra read, no await, never throws). `lastActiveAt` comes from the row the session lookup already loaded.
 */
export function touchActivity(request: Request, memberId: number, lastActiveAt: number | null): void {
  if (tracker !== null && !isPrefetch(request)) tracker.touch(memberId, lastActiveAt);
}

/**
 * Records the member's activity at once, not debounced. Called by recordSignIn, the one path for sign-in, setup,
 * invitation acceptance and switching organization. Best effort like every activity write: logged and retried,
 * never thrown.
 */
export function recordActivityNow(memberId: number, at = Date.now()): void {
  tracker?.recordNow(memberId, at);
}

/**
 * Applies a batch a replica forwarded (app/routes/internal.activity.ts) with the same conditional update and day rows
 * as the primary's own writes; returns the members left alone. Throws like the store (busy, read-only…).
 */
export function applyForwardedActivity(writes: ActivityWrite[]): number[] {
  return store.write(writes);
}
