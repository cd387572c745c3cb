import { describe, expect, it } from "vitest";
import { createBurstLog } from "~/lib/burst-log.server";

function logWithClock() {
  const clock = { now: 0 };
  const lines: string[] = [];
  const log = createBurstLog({
    what: "activity tracking: could not write last_active_at",
    reminderMs: 60_000,
    now: () => clock.now,
    log: {
      error: (message: string) => lines.push(`error: ${message}`),
      warn: (message: string) => lines.push(`warn: ${message}`),
    },
  });
  return { clock, lines, log };
}

describe("burst log", () => {
  it("logs the first failure of a burst and stays quiet for the rest of it", () => {
    const { clock, lines, log } = logWithClock();
    for (let attempt = 0; attempt < 100; attempt += 1) {
      clock.now = attempt * 500;
      log.failed(new Error("SQLITE_BUSY"));
    }
    expect(lines).toEqual(["error: activity tracking: could not write last_active_at:"]);
  });

  it("reminds at most once a minute while the failure lasts, with the number of failures left unreported", () => {
    const { clock, lines, log } = logWithClock();
    for (let second = 0; second <= 130; second += 1) {
      clock.now = second * 1000;
      log.failed(new Error("SQLITE_READONLY"));
    }
    expect(lines).toEqual([
      "error: activity tracking: could not write last_active_at:",
      "error: activity tracking: could not write last_active_at (still failing; 59 more failures since the last report):",
      "error: activity tracking: could not write last_active_at (still failing; 59 more failures since the last report):",
    ]);
  });

  it("says once when it recovers, and logs the next burst again", () => {
    const { lines, log } = logWithClock();
    log.failed(new Error("first"));
    log.failed(new Error("second"));
    log.succeeded();
    log.succeeded();
    log.failed(new Error("later"));
    expect(lines).toEqual([
      "error: activity tracking: could not write last_active_at:",
      "warn: activity tracking: could not write last_active_at: recovered after 2 failed attempts",
      "error: activity tracking: could not write last_active_at:",
    ]);
  });
});
