// The app's own Prometheus metrics, in prom-client's global registry, which scripts/serve.js serves on METRICS_PORT.
import client from "prom-client";
import type { ActivityStats, ActivityTracker } from "~/activity/tracker.server";
import { singleton } from "~/lib/singleton.server";

// Made once per process: `remix dev` rebuilds re-run this module, and the registry refuses a name twice.
export const metrics = singleton("metrics", () => ({
  writeRefusals: new client.Counter({
    name: "roster_db_write_refusals_total",
    help: "Request writes refused with a 503 that changed nothing: busy (another connection held the write lock past the busy timeout) or storage (full, read-only, I/O)",
    labelNames: ["reason"] as const,
  }),
  membersPageLoader: new client.Histogram({
    name: "roster_members_page_loader_seconds",
    help: "Duration of the members admin page's loader (list, counts, chart), documents and data requests alike",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  activityFlushSeconds: new client.Histogram({
    name: "roster_activity_flush_duration_seconds",
    help: "Activity tracker flushes: one transaction for every due member (on a LiteFS replica, until the primary answered)",
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 3],
  }),
  activityForwards: new client.Counter({
    name: "roster_activity_forwards_total",
    help: "Activity batches a LiteFS replica sent to the primary, by outcome (ok, failed: retried, then dropped)",
    labelNames: ["outcome"] as const,
  }),
  activityForwardsReceived: new client.Counter({
    name: "roster_activity_forwards_received_total",
    help: "Forwarded activity batches this node was sent, by answer: applied, unauthorized (401), notPrimary (409), invalid (400), failed (503)",
    labelNames: ["outcome"] as const,
  }),
}));

/** The tracker's running totals as counters, read at scrape time: the request path only adds to plain numbers. */
const TRACKER_COUNTERS: [name: string, help: string, stat: keyof ActivityStats][] = [
  ["roster_activity_touches_total", "Requests counted as activity (due or not)", "touches"],
  ["roster_activity_writes_total", "Member last_active_at writes stored", "written"],
  [
    "roster_activity_unchanged_total",
    "Member writes left alone: already written within the window, or gone",
    "unchanged",
  ],
  [
    "roster_activity_failed_flushes_total",
    "Activity flushes that failed (busy, read-only, primary unreachable…); retried",
    "failedFlushes",
  ],
  [
    "roster_activity_dropped_total",
    "Member writes given up after the retry cap (a replica whose primary stayed away)",
    "dropped",
  ],
];

/** Exposes the process's one tracker: its totals, and its queue length as a gauge. */
export function observeActivityTracker(tracker: ActivityTracker): void {
  for (const [name, help, stat] of TRACKER_COUNTERS) {
    new client.Counter({
      name,
      help,
      collect() {
        this.reset();
        this.inc(tracker.stats[stat]);
      },
    });
  }
  new client.Gauge({
    name: "roster_activity_queue_length",
    help: "Members queued for an activity write and not written yet",
    collect() {
      this.set(tracker.queued);
    },
  });
}

/** Runs `load` and observes how long it took (thrown responses included) in `histogram`. */
export async function timed<T>(histogram: client.Histogram, load: () => Promise<T>): Promise<T> {
  const stop = histogram.startTimer();
  try {
    return await load();
  } finally {
    stop();
  }
}
