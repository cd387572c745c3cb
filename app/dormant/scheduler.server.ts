// Runs the dormant-account sweep inside the server process: shortly after start (catching up after downtime), then
// every hour, each organization once per UTC day; DORMANT_SWEEP=off turns it off (docs/decisions/017-dormant-policy.md).
import { performance } from "node:perf_hooks";
import { env } from "~/env.server";
import { createBurstLog } from "~/lib/burst-log.server";
import { primaryHostnameIfReplica } from "~/lib/replica.server";
import { singleton } from "~/lib/singleton.server";
import { DAY, HOUR, SECOND } from "~/lib/time";
import { organizationsDue, sweepOrganization } from "./sweep.server";

const failures = createBurstLog({ what: "dormant-account sweep: a run failed (it is retried at the next check)" });

/** The sweep's clock: the real time, moved by DORMANT_SWEEP_CLOCK_OFFSET_DAYS (tests only). */
export function sweepNow(): number {
  return Date.now() + env.dormantSweepClockOffsetDays * DAY;
}

/**
 * One check: every organization whose run for today is due, one after the other. Never throws. A LiteFS replica
 * skips it: only the primary writes, and its own schedule runs the sweep.
 */
export async function checkDormantSweeps(now = sweepNow()): Promise<void> {
  if (primaryHostnameIfReplica() !== null) return;
  try {
    for (const organizationId of organizationsDue(now)) {
      const started = performance.now();
      const run = await sweepOrganization(organizationId, now);
      if (run) {
        const transactions = [...run.transactionsMs].sort((a, b) => a - b);
        const p99 = transactions[Math.ceil(transactions.length * 0.99) - 1] ?? 0;
        console.log(
          `dormant-account sweep: organization ${organizationId}, ${run.deactivated} members deactivated in ` +
            `${Math.round(performance.now() - started)} ms, ${transactions.length} transactions ` +
            `(longest ${(transactions.at(-1) ?? 0).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms)` +
            `${run.finished ? "" : "; stopped: the policy changed"}`,
        );
      }
    }
    failures.succeeded();
  } catch (error) {
    failures.failed(error);
  }
}

/** Starts the process's schedule (once per process, also across `remix dev` rebuilds); a no-op when it is off. */
export function startDormantSweeps(): void {
  singleton("dormantSweeps", () => {
    if (!env.dormantSweep) return null;
    // Not during start-up itself: the first check runs once the server is up.
    const first = setTimeout(() => void checkDormantSweeps(), SECOND);
    const hourly = setInterval(() => void checkDormantSweeps(), HOUR);
    first.unref();
    hourly.unref();
    return hourly;
  });
}
