// A LiteFS replica's tracker: batches go to the primary (a sink that answers later), failures come back to the queue,
// a retry cap drops them; the primary's address and the shared token.
import { describe, expect, it } from "vitest";
import { FORWARD_BATCH_MEMBERS, forwardActivity } from "~/activity/forward.server";
import type { ActivityWrite } from "~/activity/store.server";
import { type ActivitySink, createActivityTracker } from "~/activity/tracker.server";
import { createBurstLog } from "~/lib/burst-log.server";
import { hasInternalToken } from "~/lib/internal-token.server";
import { flyReplayTarget, primaryOrigin } from "~/lib/litefs.server";

const WINDOW_MS = 300_000;
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const quietLog = () => createBurstLog({ what: "forward", log: { error: () => {}, warn: () => {} } });

/** A primary that answers each batch when told to. */
function fakePrimary() {
  const batches: ActivityWrite[][] = [];
  const answers: { resolve: (unchanged: number[]) => void; reject: (error: Error) => void }[] = [];
  const sink: ActivitySink = {
    write(batch) {
      batches.push(Array.from(batch));
      return new Promise<number[]>((resolve, reject) => answers.push({ resolve, reject }));
    },
  };
  return { sink, batches, answers };
}

describe("a tracker whose writes are forwarded", () => {
  it("sends one batch at a time and counts what the primary wrote", async () => {
    const primary = fakePrimary();
    const tracker = createActivityTracker({
      store: primary.sink,
      windowMs: WINDOW_MS,
      now: () => T0,
      failures: quietLog(),
    });
    tracker.touch(1, null);
    tracker.touch(2, null);
    await settle();
    tracker.touch(3, null);
    await settle();
    expect(primary.batches.map((batch) => batch.map((write) => write.memberId))).toEqual([[1, 2]]);
    expect(tracker.queued).toBe(1);
    primary.answers[0]?.resolve([2]);
    await settle();
    expect(primary.batches.map((batch) => batch.map((write) => write.memberId))).toEqual([[1, 2], [3]]);
    primary.answers[1]?.resolve([]);
    await settle();
    expect(tracker.stats).toMatchObject({ written: 2, unchanged: 1, failedFlushes: 0 });
    expect(tracker.queued).toBe(0);
  });

  it("puts a failed batch back (a newer write for a member wins) and retries it", async () => {
    const primary = fakePrimary();
    const clock = { now: T0 };
    const tracker = createActivityTracker({
      store: primary.sink,
      windowMs: WINDOW_MS,
      now: () => clock.now,
      retryMs: 20,
      failures: quietLog(),
    });
    tracker.touch(1, null);
    await settle();
    tracker.recordNow(1, T0 + 1);
    primary.answers[0]?.reject(new Error("primary unreachable"));
    await settle();
    expect(tracker.queued).toBe(1);
    expect(tracker.stats.failedFlushes).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(primary.batches.at(-1)).toEqual([{ memberId: 1, at: T0 + 1, notAfter: T0 + 1 }]);
  });

  it("drops what is queued after maxAttempts failures in a row, and counts it", async () => {
    const failing: ActivitySink = { write: () => Promise.reject(new Error("primary unreachable")) };
    const tracker = createActivityTracker({
      store: failing,
      windowMs: WINDOW_MS,
      now: () => T0,
      retryMs: 5,
      maxAttempts: 3,
      failures: quietLog(),
    });
    tracker.touch(1, null);
    tracker.touch(2, null);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(tracker.stats).toMatchObject({ failedFlushes: 3, dropped: 2 });
    expect(tracker.queued).toBe(0);
    // The next request of a dropped member queues it again, inside the window.
    tracker.touch(1, null);
    expect(tracker.queued).toBe(1);
  });
});

describe("forwardActivity", () => {
  it("posts batches of at most FORWARD_BATCH_MEMBERS with the token, and collects the members left alone", async () => {
    const sent: { url: string; authorization: string | null; members: number }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { writes: ActivityWrite[] };
      sent.push({ url, authorization: new Headers(init.headers).get("Authorization"), members: body.writes.length });
      return Response.json({ unchanged: [body.writes[0]?.memberId] });
    }) as typeof fetch;
    const writes = Array.from({ length: FORWARD_BATCH_MEMBERS + 1 }, (_, i) => ({
      memberId: i + 1,
      at: T0,
      notAfter: T0,
    }));
    const unchanged = await forwardActivity(writes, { origin: "http://primary:3001", token: "t", fetch: fakeFetch });
    expect(sent).toEqual([
      { url: "http://primary:3001/internal/activity", authorization: "Bearer t", members: FORWARD_BATCH_MEMBERS },
      { url: "http://primary:3001/internal/activity", authorization: "Bearer t", members: 1 },
    ]);
    expect(unchanged).toEqual([1, FORWARD_BATCH_MEMBERS + 1]);
  });

  it("fails on any answer but 200", async () => {
    const refused = (async () => Response.json({ error: "notPrimary" }, { status: 409 })) as unknown as typeof fetch;
    await expect(
      forwardActivity([{ memberId: 1, at: T0, notAfter: T0 }], { origin: "http://p", token: "t", fetch: refused }),
    ).rejects.toThrow(/409/);
  });
});

describe("the primary's address", () => {
  it("uses a hostname with a dot as it is, and a bare Fly machine name through <name>.vm.<app>.internal", () => {
    expect(primaryOrigin("arn.roster.internal", 3001, "roster")).toBe("http://arn.roster.internal:3001");
    expect(primaryOrigin("e784079b449483", 3001, "roster")).toBe("http://e784079b449483.vm.roster.internal:3001");
    expect(primaryOrigin("127.0.0.1", 4000, undefined)).toBe("http://127.0.0.1:4000");
    expect(primaryOrigin("fdaa::2", 3001, undefined)).toBe("http://[fdaa::2]:3001");
  });

  it("replays a GET that must write on the primary's machine (Consul lease) or in its region (static lease)", () => {
    expect(flyReplayTarget("e784079b449483", "arn")).toBe("instance=e784079b449483");
    expect(flyReplayTarget("arn.roster.internal", "arn")).toBe("region=arn");
    expect(flyReplayTarget("arn.roster.internal", undefined)).toBeNull();
  });
});

describe("the internal token", () => {
  const request = (authorization?: string) =>
    new Request("http://primary/internal/activity", {
      method: "POST",
      headers: authorization ? { Authorization: authorization } : {},
    });

  it("accepts only Bearer and the exact secret, and nothing when none is configured", () => {
    const secret = "s".repeat(40);
    expect(hasInternalToken(request(`Bearer ${secret}`), secret)).toBe(true);
    expect(hasInternalToken(request(`Bearer ${secret}x`), secret)).toBe(false);
    expect(hasInternalToken(request(secret), secret)).toBe(false);
    expect(hasInternalToken(request(), secret)).toBe(false);
    expect(hasInternalToken(request(`Bearer ${secret}`), null)).toBe(false);
  });
});
