// The process's activity tracker: every request of an active member counts as activity (prefetches do not), written at
// most once per member per debounce window (SPEC §4); the session helper feeds it.
import { beforeDatabaseCloses, sqlite } from "~/db/client.server";
import { env } from "~/env.server";
import { singleton } from "~/lib/singleton.server";
import { createActivityPruner, scheduleActivityPruning } from "./retention.server";
import { createActivityStore } from "./store.server";
import { type ActivityTracker, createActivityTracker } from "./tracker.server";

function startTracker(): ActivityTracker | null {
  if (!env.activityTracking) return null;
  const tracker = createActivityTracker({ store: createActivityStore(sqlite), windowMs: env.activityDebounceMs });
  // Queued writes reach the database before it closes on SIGTERM/SIGINT.
  beforeDatabaseCloses(() => tracker.flush({ waitForLock: true }));
  return tracker;
}

// One tracker per process, like the connection it writes through (survives `remix dev` rebuilds); null when off.
const tracker = singleton("activityTracker", startTracker);

// History older than ACTIVITY_HISTORY_DAYS is pruned once a day by the server process, whether or not it tracks.
singleton("activityRetention", () =>
  scheduleActivityPruning(createActivityPruner(sqlite, { horizonDays: env.activityHistoryDays })),
);

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
