// In-process measurements: the tracker's cost per request when not due, a naive per-request write, flush throughput.
import path from "node:path";
import { performance } from "node:perf_hooks";
import type Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { createActivityStore } from "~/activity/store.server";
import { createActivityTracker } from "~/activity/tracker.server";
import { type Db, openDatabase } from "~/db/open.server";
import { members } from "~/db/schema";
import { utcDay } from "~/lib/time";
import { insertMembers, insertOrganization } from "../tests/support/seed";

const WINDOW_MS = 300_000;
const REQUEST_MEMBERS = 200;
const FLUSH_MEMBERS = 10_000;

export interface InProcessResults {
  /** touchActivity(request, …) as the session helper calls it, member not due: ns per call. */
  touchActivityNs: number;
  /** tracker.touch with a fresh loaded row / with a stale row this process wrote: ns per call. */
  touchFreshRowNs: number;
  touchRememberedNs: number;
  /** Naive: read the member, then update it, awaited, on every request: µs per request. */
  naiveUs: number;
  flush: {
    /** The tracker's flush of 10,000 queued members (one transaction). */
    trackerFlushPerSecond: number;
    /** The same, counting the 10,000 due touches that queued them. */
    trackerTouchAndFlushPerSecond: number;
    /** Raw better-sqlite3: the same two statements per member, one transaction. */
    rawSamePerSecond: number;
    /** Raw better-sqlite3: a plain UPDATE per member, one transaction. */
    rawUpdateOnlyPerSecond: number;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median over runs of the time per call, after a warm-up run. */
function nsPerCall(calls: number, run: (calls: number) => void): number {
  run(calls);
  const samples: number[] = [];
  for (let sample = 0; sample < 5; sample += 1) {
    const started = performance.now();
    run(calls);
    samples.push(((performance.now() - started) * 1e6) / calls);
  }
  return median(samples);
}

function database(dir: string, name: string, count: number) {
  const { db, sqlite } = openDatabase(path.join(dir, name));
  const { organizationId } = insertOrganization(sqlite);
  const ids = insertMembers(sqlite, { organizationId, count, label: name }).map((member) => member.memberId);
  return { db, sqlite, ids };
}

/** The per-request path: the process's own tracker (from the environment) fed like the session helper feeds it. */
async function measureTouchActivity(dir: string): Promise<number> {
  process.env.DATABASE_PATH = path.join(dir, "process.db");
  const { sqlite } = openDatabase(process.env.DATABASE_PATH);
  const { organizationId } = insertOrganization(sqlite);
  const ids = insertMembers(sqlite, { organizationId, count: REQUEST_MEMBERS }).map((member) => member.memberId);
  sqlite.close();
  const { touchActivity } = await import("~/activity/activity.server");
  const requests = ids.map(
    (id) =>
      new Request("http://127.0.0.1/", {
        headers: {
          accept: "text/html,application/xhtml+xml",
          "accept-language": "en",
          cookie: `__session=member-${id}`,
          "user-agent": "autocannon",
        },
      }),
  );
  const fresh = Date.now() - 1000;
  return nsPerCall(2_000_000, (calls) => {
    for (let call = 0; call < calls; call += 1) {
      const index = call % REQUEST_MEMBERS;
      touchActivity(requests[index]!, ids[index]!, fresh);
    }
  });
}

function measureTouch(sqlite: Database.Database, ids: number[]) {
  const tracker = createActivityTracker({ store: createActivityStore(sqlite), windowMs: WINDOW_MS });
  for (const id of ids) tracker.recordNow(id);
  const fresh = Date.now() - 1000;
  const touchFreshRowNs = nsPerCall(5_000_000, (calls) => {
    for (let call = 0; call < calls; call += 1) tracker.touch(ids[call % ids.length]!, fresh);
  });
  const touchRememberedNs = nsPerCall(5_000_000, (calls) => {
    for (let call = 0; call < calls; call += 1) tracker.touch(ids[call % ids.length]!, null);
  });
  return { touchFreshRowNs, touchRememberedNs };
}

/** What the debounce exists to avoid (SPEC §4): every request reads its member and writes it, waiting for both. */
async function measureNaive(db: Db, ids: number[]): Promise<number> {
  async function naiveTouch(memberId: number) {
    const member = await db.select().from(members).where(eq(members.id, memberId)).get();
    if (member) await db.update(members).set({ lastActiveAt: Date.now() }).where(eq(members.id, memberId)).run();
  }
  const calls = 20_000;
  for (let call = 0; call < 2_000; call += 1) await naiveTouch(ids[call % ids.length]!);
  const started = performance.now();
  for (let call = 0; call < calls; call += 1) await naiveTouch(ids[call % ids.length]!);
  return ((performance.now() - started) * 1000) / calls;
}

/** 10,000 due members: the tracker's flush of its queue (and touch + flush) vs the same rows written raw. */
function measureFlush(sqlite: Database.Database, ids: number[]) {
  // Each measured write starts from the same state, with an empty WAL (no checkpoint landing in one run only).
  const reset = () => {
    sqlite.exec("UPDATE members SET last_active_at = NULL; DELETE FROM member_activity_days;");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
  };
  const update = sqlite.prepare(
    "UPDATE members SET last_active_at = ? WHERE id = ? AND (last_active_at IS NULL OR last_active_at <= ?)",
  );
  const recordDay = sqlite.prepare(
    "INSERT OR IGNORE INTO member_activity_days (member_id, day) SELECT id, ? FROM members WHERE id = ?",
  );
  const plainUpdate = sqlite.prepare("UPDATE members SET last_active_at = ? WHERE id = ?");
  const rawSame = sqlite.transaction((now: number) => {
    for (const id of ids) {
      update.run(now, id, now - WINDOW_MS);
      recordDay.run(utcDay(now), id);
    }
  });
  const rawUpdateOnly = sqlite.transaction((now: number) => {
    for (const id of ids) plainUpdate.run(now, id);
  });
  const written = () => sqlite.prepare("SELECT count(*) FROM members WHERE last_active_at IS NOT NULL").pluck().get();
  const perSecond = (ms: number) => ids.length / (ms / 1000);

  const runs = {
    flush: [] as number[],
    touchAndFlush: [] as number[],
    rawSame: [] as number[],
    rawUpdateOnly: [] as number[],
  };
  const measure = {
    tracker: () => {
      const tracker = createActivityTracker({ store: createActivityStore(sqlite), windowMs: WINDOW_MS });
      const started = performance.now();
      for (const id of ids) tracker.touch(id, null);
      const queued = performance.now();
      tracker.flush(); // what the microtask would run next
      const flushed = performance.now();
      runs.flush.push(perSecond(flushed - queued));
      runs.touchAndFlush.push(perSecond(flushed - started));
      if (written() !== ids.length) throw new Error("the tracker did not write every due member");
    },
    rawSame: () => {
      const started = performance.now();
      rawSame(Date.now());
      runs.rawSame.push(perSecond(performance.now() - started));
    },
    rawUpdateOnly: () => {
      const started = performance.now();
      rawUpdateOnly(Date.now());
      runs.rawUpdateOnly.push(perSecond(performance.now() - started));
    },
  };
  for (let round = 0; round < 10; round += 1) {
    // Alternate the order, so neither side always runs on the caches the other warmed.
    const order = round % 2 === 0 ? (["tracker", "rawSame"] as const) : (["rawSame", "tracker"] as const);
    for (const name of [...order, "rawUpdateOnly"] as const) {
      reset();
      measure[name]();
    }
  }
  // The first round warms up; the median of the rest.
  return {
    trackerFlushPerSecond: median(runs.flush.slice(1)),
    trackerTouchAndFlushPerSecond: median(runs.touchAndFlush.slice(1)),
    rawSamePerSecond: median(runs.rawSame.slice(1)),
    rawUpdateOnlyPerSecond: median(runs.rawUpdateOnly.slice(1)),
  };
}

export async function measureInProcess(dir: string): Promise<InProcessResults> {
  const requestDb = database(dir, "requests.db", REQUEST_MEMBERS);
  const flushDb = database(dir, "flush.db", FLUSH_MEMBERS);
  try {
    const touch = measureTouch(requestDb.sqlite, requestDb.ids);
    const touchActivityNs = await measureTouchActivity(dir);
    const naiveUs = await measureNaive(requestDb.db, requestDb.ids);
    const flush = measureFlush(flushDb.sqlite, flushDb.ids);
    return { touchActivityNs, ...touch, naiveUs, flush };
  } finally {
    requestDb.sqlite.close();
    flushDb.sqlite.close();
  }
}
