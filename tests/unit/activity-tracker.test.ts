import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createActivityStore } from "~/activity/store.server";
import { type ActivityTracker, createActivityTracker } from "~/activity/tracker.server";
import { openDatabase } from "~/db/open.server";
import { createBurstLog } from "~/lib/burst-log.server";
import { utcDay } from "~/lib/time";
import { activityDays, activityWrites, lastActiveAt, logActivityWrites } from "../support/activity";
import { insertMembers, insertOrganization } from "../support/seed";
import { makeDataDir } from "../support/server";

const WINDOW_MS = 300_000;
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

/** Lets the microtask that flushes the queue run (setImmediate comes after every queued microtask). */
const nextTick = () => new Promise((resolve) => setImmediate(resolve));

interface Setup {
  file: string;
  sqlite: Database.Database;
  /** Every SQL statement the tracker's connection executed, in order. */
  statements: string[];
  memberIds: number[];
  tracker: ActivityTracker;
  clock: { now: number };
  errors: unknown[][];
  warnings: unknown[][];
}

let setup: Setup;
const opened: Database.Database[] = [];

function connect(file: string, verbose?: (sql: unknown) => void): Database.Database {
  const sqlite = new Database(file, { verbose });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  opened.push(sqlite);
  return sqlite;
}

function start(memberCount = 3, options: { retryMs?: number } = {}): Setup {
  const file = path.join(makeDataDir("roster-tracker-"), "roster.db");
  openDatabase(file).sqlite.close();
  const statements: string[] = [];
  const sqlite = connect(file, (sql) => statements.push(String(sql)));
  const { organizationId } = insertOrganization(sqlite, { now: T0 - 1000 });
  const memberIds = insertMembers(sqlite, { organizationId, count: memberCount, now: T0 - 1000 }).map(
    (m) => m.memberId,
  );
  logActivityWrites(sqlite);
  const clock = { now: T0 };
  const errors: unknown[][] = [];
  const warnings: unknown[][] = [];
  const failures = createBurstLog({
    what: "activity tracking: could not write last_active_at",
    now: () => clock.now,
    log: { error: (...args: unknown[]) => errors.push(args), warn: (...args: unknown[]) => warnings.push(args) },
  });
  const tracker = createActivityTracker({
    store: createActivityStore(sqlite),
    windowMs: WINDOW_MS,
    now: () => clock.now,
    retryMs: options.retryMs ?? 60_000,
    failures,
  });
  statements.length = 0;
  return { file, sqlite, statements, memberIds, tracker, clock, errors, warnings };
}

const count = (statements: string[], prefix: string) => statements.filter((sql) => sql.startsWith(prefix)).length;

beforeEach(() => {
  setup = start();
});

afterEach(() => {
  for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
});

describe("activity tracker: when a member is due", () => {
  it("writes a never-active member after the request's synchronous work, with the UTC day", async () => {
    const { tracker, sqlite, statements, memberIds } = setup;
    const member = memberIds[0]!;
    expect(tracker.touch(member, null)).toBeUndefined();
    expect(statements).toEqual([]);
    await nextTick();
    expect(lastActiveAt(sqlite, member)).toBe(T0);
    expect(activityDays(sqlite, member)).toEqual([utcDay(T0)]);
  });

  describe.each([
    ["the row the session lookup loaded", false],
    ["this process's own earlier write (the loaded row is stale)", true],
  ])("window edges, known from %s", (_, fromMemory) => {
    async function touchAgainAfter(elapsedMs: number): Promise<number[]> {
      const { tracker, sqlite, clock, memberIds } = setup;
      const member = memberIds[0]!;
      if (fromMemory) {
        tracker.touch(member, null);
        await nextTick();
      } else {
        sqlite.prepare("UPDATE members SET last_active_at = ? WHERE id = ?").run(T0, member);
      }
      clock.now = T0 + elapsedMs;
      tracker.touch(member, fromMemory ? null : T0);
      await nextTick();
      return activityWrites(sqlite, member);
    }
    const first = [T0];

    it("does not write again just before the window ends (299.999 s)", async () => {
      expect(await touchAgainAfter(WINDOW_MS - 1)).toEqual(first);
    });

    it("writes again when the window ends (300 s)", async () => {
      expect(await touchAgainAfter(WINDOW_MS)).toEqual([...first, T0 + WINDOW_MS]);
    });

    it("writes again just after the window (300.001 s)", async () => {
      expect(await touchAgainAfter(WINDOW_MS + 1)).toEqual([...first, T0 + WINDOW_MS + 1]);
    });
  });

  it("enforces the window in SQL too: a member another process wrote 299.999 s ago is written only once its window ends", async () => {
    const { tracker, sqlite, clock, memberIds } = setup;
    const member = memberIds[0]!;
    sqlite.prepare("UPDATE members SET last_active_at = ? WHERE id = ?").run(T0, member);
    // This process loaded the row before the other one wrote: it thinks the member is due and queues a write.
    clock.now = T0 + WINDOW_MS - 1;
    tracker.touch(member, null);
    await nextTick();
    expect(activityWrites(sqlite, member)).toEqual([T0]);
    // The next request loads the row the other process wrote.
    clock.now = T0 + WINDOW_MS;
    tracker.touch(member, T0);
    await nextTick();
    expect(activityWrites(sqlite, member)).toEqual([T0, T0 + WINDOW_MS]);
  });

  it("never moves time backwards: a queued time older than the stored one changes nothing", async () => {
    const { tracker, sqlite, clock, memberIds } = setup;
    const [touched, signedIn] = memberIds as [number, number];
    const setLastActive = sqlite.prepare("UPDATE members SET last_active_at = ? WHERE id = ?");
    // Another process (a clock a little ahead) wrote a later time after this process loaded the rows.
    setLastActive.run(T0 + 10_000, touched);
    setLastActive.run(T0 + 10_000, signedIn);
    tracker.touch(touched, null);
    clock.now = T0 + 5_000;
    tracker.recordNow(signedIn);
    await nextTick();
    expect(lastActiveAt(sqlite, touched)).toBe(T0 + 10_000);
    expect(lastActiveAt(sqlite, signedIn)).toBe(T0 + 10_000);
  });
});

describe("activity tracker: batching", () => {
  it("writes once for many requests of one member in one tick (root and route loaders, parallel fetches)", async () => {
    const { tracker, sqlite, statements, memberIds } = setup;
    const member = memberIds[0]!;
    for (let request = 0; request < 50; request += 1) tracker.touch(member, null);
    await nextTick();
    expect(activityWrites(sqlite, member)).toEqual([T0]);
    expect(count(statements, "UPDATE members")).toBe(1);
  });

  it("writes 1,000 members active in one tick in one transaction", async () => {
    setup = start(1000);
    const { tracker, sqlite, statements, memberIds } = setup;
    for (const member of memberIds) tracker.touch(member, null);
    expect(statements).toEqual([]);
    await nextTick();
    expect(count(statements, "BEGIN")).toBe(1);
    expect(count(statements, "COMMIT")).toBe(1);
    expect(count(statements, "UPDATE members")).toBe(1000);
    expect(sqlite.prepare("SELECT count(*) FROM members WHERE last_active_at = ?").pluck().get(T0)).toBe(1000);
    expect(sqlite.prepare("SELECT count(*) FROM member_activity_days WHERE day = ?").pluck().get(utcDay(T0))).toBe(
      1000,
    );
  });

  it("decides without the database: touches of members that are not due run no SQL at all", async () => {
    setup = start(1000);
    const { tracker, statements, memberIds, clock } = setup;
    for (const member of memberIds) tracker.touch(member, null);
    await nextTick();
    statements.length = 0;
    clock.now = T0 + WINDOW_MS - 1;
    for (const member of memberIds) {
      tracker.touch(member, T0); // the loaded row is fresh
      tracker.touch(member, null); // the loaded row is stale, but this process wrote it
    }
    await nextTick();
    expect(statements).toEqual([]);
  });

  it("keeps the in-memory map bounded by the members active within the window", async () => {
    setup = start(1000);
    const { tracker, memberIds, clock } = setup;
    for (const member of memberIds) tracker.touch(member, null);
    await nextTick();
    expect(tracker.remembered).toBe(1000);
    // Members not due (their loaded row is fresh) are never added.
    clock.now = T0 + 1000;
    for (const member of memberIds) tracker.touch(member, T0 + 500);
    expect(tracker.remembered).toBe(1000);
    // Once the window has passed, the next write forgets everyone whose window is over.
    clock.now = T0 + WINDOW_MS;
    tracker.touch(memberIds[0]!, T0);
    await nextTick();
    expect(tracker.remembered).toBe(1);
  });

  it("still writes the others when a queued member is removed before the flush", async () => {
    const { tracker, sqlite, memberIds, errors } = setup;
    const [removed, kept] = memberIds as [number, number];
    tracker.touch(removed, null);
    tracker.touch(kept, null);
    sqlite.prepare("DELETE FROM members WHERE id = ?").run(removed);
    await nextTick();
    expect(lastActiveAt(sqlite, kept)).toBe(T0);
    expect(activityDays(sqlite, kept)).toEqual([utcDay(T0)]);
    expect(errors).toEqual([]);
  });
});

describe("activity tracker: immediate writes (sign-in and the like)", () => {
  it("writes at once, inside the window, without waiting for a tick", async () => {
    const { tracker, sqlite, clock, memberIds } = setup;
    const member = memberIds[0]!;
    tracker.touch(member, null);
    await nextTick();
    clock.now = T0 + 10_000;
    tracker.recordNow(member);
    expect(activityWrites(sqlite, member)).toEqual([T0, T0 + 10_000]);
  });

  it("counts as this process's write: the next request in the window does not write again", async () => {
    const { tracker, sqlite, clock, memberIds } = setup;
    const member = memberIds[0]!;
    tracker.recordNow(member);
    clock.now = T0 + 1000;
    tracker.touch(member, null); // a row loaded just before the sign-in
    await nextTick();
    expect(activityWrites(sqlite, member)).toEqual([T0]);
  });
});

describe("activity tracker: best effort", () => {
  /** A burst of failed writes: every touch comes back at once, and each tick's flush fails. */
  async function burst(members: number[]): Promise<void> {
    for (const member of members) {
      setup.tracker.touch(member, null);
      await nextTick();
      setup.tracker.flush(); // the retry, without waiting for its timer
    }
  }

  function expectOneErrorThenRecovery(code: RegExp) {
    const { errors, warnings, sqlite, memberIds } = setup;
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.[0])).toContain("activity tracking: could not write last_active_at");
    expect(String(errors[0]?.[1])).toMatch(code);
    expect(setup.tracker.queued).toBe(memberIds.length);
    setup.tracker.flush();
    for (const member of memberIds) expect(lastActiveAt(sqlite, member)).toBe(T0);
    expect(warnings.map(String)).toEqual([expect.stringContaining("recovered after")]);
  }

  it("does not wait for a lock another connection holds (busy): logs once, writes after it is released", async () => {
    const other = connect(setup.file);
    other.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    await burst(setup.memberIds);
    // The connection's busy_timeout is 5 s: a flush that waited for the lock would take that long, three times over.
    expect(performance.now() - started).toBeLessThan(2000);
    other.exec("COMMIT");
    expectOneErrorThenRecovery(/locked|busy/i);
  });

  it("survives a read-only database: logs once, resumes when writable again", async () => {
    setup.sqlite.pragma("query_only = ON");
    await burst(setup.memberIds);
    setup.sqlite.pragma("query_only = OFF");
    expectOneErrorThenRecovery(/readonly|read-only/i);
  });

  it("survives a full disk: logs once, resumes when there is room again", async () => {
    setup = start(400);
    const pages = setup.sqlite.pragma("page_count", { simple: true }) as number;
    setup.sqlite.pragma(`max_page_count = ${pages}`);
    setup.clock.now = T0;
    for (const member of setup.memberIds) setup.tracker.touch(member, null);
    await nextTick();
    setup.tracker.flush();
    setup.sqlite.pragma(`max_page_count = ${pages * 100}`);
    expectOneErrorThenRecovery(/full/i);
  });

  it("survives a throwing statement: logs once, resumes when the statement works again", async () => {
    setup.sqlite.exec(`CREATE TRIGGER test_refuse BEFORE UPDATE OF last_active_at ON members
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    await burst(setup.memberIds);
    setup.sqlite.exec("DROP TRIGGER test_refuse");
    expectOneErrorThenRecovery(/injected failure/);
  });

  it("survives a closed connection without throwing, and logs once", async () => {
    setup.sqlite.close();
    await burst(setup.memberIds);
    setup.tracker.recordNow(setup.memberIds[0]!);
    expect(setup.errors).toHaveLength(1);
    expect(String(setup.errors[0]?.[1])).toMatch(/not open/);
  });

  it("retries on its own: queued writes land after recovery without another request", async () => {
    setup = start(3, { retryMs: 20 });
    setup.sqlite.pragma("query_only = ON");
    setup.tracker.touch(setup.memberIds[0]!, null);
    await nextTick();
    expect(setup.errors).toHaveLength(1);
    setup.sqlite.pragma("query_only = OFF");
    await vi.waitFor(() => expect(lastActiveAt(setup.sqlite, setup.memberIds[0]!)).toBe(T0), { timeout: 5000 });
    expect(setup.tracker.queued).toBe(0);
  });
});
