import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { utcDay } from "~/lib/time";
import { activityDays, activityWrites, lastActiveAt, logActivityWrites } from "../support/activity";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { insertMembers, type SignedInMember, signInMembers } from "../support/seed";
import { SESSION_SECRET, startServer, type TestServer } from "../support/server";

const OWNER = { email: "owner@example.com", password: "correct horse battery" };
const FAILURE_LINE = "activity tracking: could not write last_active_at";

/** Members straight into the server's database, signed in, never active. */
async function seedMembers(server: TestServer, count = 1): Promise<SignedInMember[]> {
  const sqlite = new Database(server.databasePath);
  try {
    sqlite.pragma("busy_timeout = 5000");
    const organizationId = sqlite.prepare("SELECT min(id) FROM organizations").pluck().get() as number;
    return await signInMembers(sqlite, insertMembers(sqlite, { organizationId, count }), { secret: SESSION_SECRET });
  } finally {
    sqlite.close();
  }
}

function send(server: TestServer, member: SignedInMember, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Cookie", member.cookie);
  return fetch(new URL(path, server.url), { ...init, headers, redirect: "manual" });
}

const post = (server: TestServer, member: SignedInMember, path: string, fields: Record<string, string>) =>
  send(server, member, path, { method: "POST", body: new URLSearchParams(fields) });

const writesOf = (server: TestServer, memberId: number) =>
  withDatabase(server.databasePath, (db) => activityWrites(db, memberId));

const lastActiveOf = (server: TestServer, memberId: number) =>
  withDatabase(server.databasePath, (db) => lastActiveAt(db, memberId));

const failureLines = (server: TestServer) => server.output().split(FAILURE_LINE).length - 1;

/** Holds the database's write lock from another connection, as another process would. */
function holdWriteLock(server: TestServer): () => void {
  const other = new Database(server.databasePath);
  other.exec("BEGIN IMMEDIATE");
  return () => {
    other.exec("COMMIT");
    other.close();
  };
}

describe("activity tracking in the built server", () => {
  let server: TestServer;
  let setupWindow: [number, number];

  beforeAll(async () => {
    server = await startServer();
    const before = Date.now();
    await setUpOrganization(server.url, OWNER);
    setupWindow = [before, Date.now()];
    withDatabase(server.databasePath, logActivityWrites);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("written at once", () => {
    it("first-run setup records the owner as active at once, with the day", () => {
      const owner = withDatabase(server.databasePath, (db) => ({
        at: lastActiveAt(db, 1),
        days: activityDays(db, 1),
      }));
      expect(owner.at).toBeGreaterThanOrEqual(setupWindow[0]);
      expect(owner.at).toBeLessThanOrEqual(setupWindow[1]);
      expect(owner.days).toEqual([utcDay(owner.at ?? 0)]);
    });

    it("sign-in writes at once, even inside the debounce window", async () => {
      const before = Date.now();
      const response = await new Client(server.url).post("/login", OWNER);
      expect(response.status).toBe(302);
      const writes = writesOf(server, 1);
      expect(writes).toHaveLength(1); // setup's write happened before the trigger was installed
      expect(writes[0]).toBeGreaterThanOrEqual(before);
    });
  });

  describe("what counts", () => {
    it("a document load writes once, though the root loader and the route loader both check the session", async () => {
      const [member] = await seedMembers(server);
      const before = Date.now();
      expect((await send(server, member!, "/")).status).toBe(200);
      const writes = writesOf(server, member!.memberId);
      expect(writes).toHaveLength(1);
      expect(writes[0]).toBeGreaterThanOrEqual(before);
      expect(writes[0]).toBeLessThanOrEqual(Date.now());
    });

    it("a client-side navigation data request (?_data, route loader only) counts", async () => {
      const [member] = await seedMembers(server);
      const response = await send(server, member!, "/settings/profile?_data=routes%2Fsettings.profile");
      expect(response.status).toBe(200);
      expect(writesOf(server, member!.memberId)).toHaveLength(1);
    });

    it("a fetcher call (an action with ?_data) counts", async () => {
      const [member] = await seedMembers(server);
      const response = await post(server, member!, "/settings/profile?_data=routes%2Fsettings.profile", {
        intent: "name",
        name: "Renamed by a fetcher",
      });
      expect(response.status).toBe(204);
      expect(writesOf(server, member!.memberId)).toHaveLength(1);
    });

    it("many requests of one member at once write once", async () => {
      const [member] = await seedMembers(server);
      const paths = [
        "/",
        "/settings/profile",
        "/?_data=routes%2F_index",
        "/?_data=root",
        "/settings/profile?_data=root",
      ];
      const responses = await Promise.all([...paths, ...paths, ...paths].map((path) => send(server, member!, path)));
      for (const response of responses) expect(response.status).toBe(200);
      expect(writesOf(server, member!.memberId)).toHaveLength(1);
    });

    it.each([
      ["Purpose: prefetch", { Purpose: "prefetch" }],
      ["Sec-Purpose: prefetch", { "Sec-Purpose": "prefetch" }],
      ["Sec-Purpose: prefetch;prerender", { "Sec-Purpose": "prefetch;prerender" }],
    ])("a prefetch (%s) does not count; the member's next real request does", async (_, headers) => {
      const [member] = await seedMembers(server);
      for (const path of ["/?_data=routes%2F_index", "/", "/settings/profile?_data=root"]) {
        expect((await send(server, member!, path, { headers })).status).toBe(200);
      }
      expect(writesOf(server, member!.memberId)).toEqual([]);
      await send(server, member!, "/?_data=routes%2F_index");
      expect(writesOf(server, member!.memberId)).toHaveLength(1);
    });

    it("/healthz and static files do not count", async () => {
      const [member] = await seedMembers(server);
      expect((await send(server, member!, "/healthz")).status).toBe(200);
      expect((await send(server, member!, "/locales/en/common.json")).status).toBe(200);
      expect(writesOf(server, member!.memberId)).toEqual([]);
    });

    it("a deactivated member's requests write nothing, and their last_active_at is kept", async () => {
      const [member] = await seedMembers(server);
      const longAgo = Date.now() - 40 * 24 * 3600 * 1000;
      withDatabase(server.databasePath, (db) =>
        db
          .prepare("UPDATE members SET last_active_at = ?, deactivated_at = ? WHERE id = ?")
          .run(longAgo, Date.now(), member!.memberId),
      );
      expect((await send(server, member!, "/")).status).toBe(403);
      expect(lastActiveOf(server, member!.memberId)).toBe(longAgo);
    });
  });

  describe("never a write path: profile edits and the language switch", () => {
    // Every authenticated request counts as activity (SPEC §4), a profile POST included; what must not happen is the
    // edit itself writing activity. So: inside the window the edits write nothing at all; for a member who is due, the
    // edit request counts exactly once, like a page view, and further edits add nothing.
    it("inside the debounce window, saving name and language and switching language write no activity", async () => {
      const [member] = await seedMembers(server);
      await send(server, member!, "/");
      const [firstWrite] = writesOf(server, member!.memberId);
      const name = await post(server, member!, "/settings/profile", { intent: "name", name: "New Name" });
      const language = await post(server, member!, "/settings/profile", { intent: "language", language: "sv" });
      const switcher = await post(server, member!, "/language", { lng: "en", redirectTo: "/" });
      expect([name.status, language.status, switcher.status]).toEqual([302, 302, 302]);
      expect(
        withDatabase(server.databasePath, (db) =>
          db.prepare("SELECT name, locale FROM users WHERE id = ?").get(member!.userId),
        ),
      ).toEqual({ name: "New Name", locale: "en" });
      expect(writesOf(server, member!.memberId)).toEqual([firstWrite]);
      expect(withDatabase(server.databasePath, (db) => activityDays(db, member!.memberId))).toHaveLength(1);
    });

    it("a profile edit from a member who is due counts once, as the request itself, like a page view", async () => {
      const [member] = await seedMembers(server);
      const before = Date.now();
      await post(server, member!, "/settings/profile", { intent: "name", name: "First Edit" });
      await post(server, member!, "/settings/profile", { intent: "name", name: "Second Edit" });
      await post(server, member!, "/language", { lng: "sv", redirectTo: "/" });
      const writes = writesOf(server, member!.memberId);
      expect(writes).toHaveLength(1);
      expect(writes[0]).toBeGreaterThanOrEqual(before);
    });
  });

  describe("best effort", () => {
    it("while another process holds the write lock, requests answer without waiting; one log line; writes land after", async () => {
      const members = await seedMembers(server, 5);
      const linesBefore = failureLines(server);
      const release = holdWriteLock(server);
      try {
        for (const member of members) {
          const started = performance.now();
          expect((await send(server, member, "/")).status).toBe(200);
          // The server's busy_timeout is 5 s: a request whose flush waited for the lock would take that long.
          expect(performance.now() - started).toBeLessThan(2500);
        }
        expect(members.map((member) => lastActiveOf(server, member.memberId))).toEqual([null, null, null, null, null]);
      } finally {
        release();
      }
      expect(failureLines(server) - linesBefore).toBe(1);
      await vi.waitFor(
        () => {
          for (const member of members) expect(lastActiveOf(server, member.memberId)).not.toBeNull();
        },
        { timeout: 5000, interval: 100 },
      );
      expect(server.output()).toContain(`${FAILURE_LINE}: recovered after`);
    });

    it("a failing statement fails no request, is logged once per burst, and tracking resumes when it works again", async () => {
      const members = await seedMembers(server, 5);
      const linesBefore = failureLines(server);
      withDatabase(server.databasePath, (db) =>
        db.exec(`CREATE TRIGGER test_refuse BEFORE UPDATE OF last_active_at ON members
          BEGIN SELECT RAISE(ABORT, 'injected failure'); END`),
      );
      try {
        for (const member of members) expect((await send(server, member, "/")).status).toBe(200);
      } finally {
        withDatabase(server.databasePath, (db) => db.exec("DROP TRIGGER test_refuse"));
      }
      expect(failureLines(server) - linesBefore).toBe(1);
      expect(server.output()).toContain("injected failure");
      await vi.waitFor(() => expect(lastActiveOf(server, members[4]!.memberId)).not.toBeNull(), { timeout: 5000 });
    });
  });
});

describe("ACTIVITY_TRACKING=off", () => {
  it("writes no activity at all, not even at setup or sign-in", async () => {
    const server = await startServer({ env: { ACTIVITY_TRACKING: "off" } });
    try {
      const owner = await setUpOrganization(server.url, OWNER);
      expect((await owner.get("/")).status).toBe(200);
      await new Client(server.url).post("/login", OWNER);
      withDatabase(server.databasePath, (db) => {
        expect(db.prepare("SELECT last_active_at FROM members").pluck().all()).toEqual([null]);
        expect(db.prepare("SELECT count(*) FROM member_activity_days").pluck().get()).toBe(0);
      });
    } finally {
      await server.stop();
    }
  });
});

describe("graceful stop", () => {
  it.each([
    "SIGTERM",
    "SIGINT",
  ] as const)("on %s, queued writes reach the database before it closes", async (signal) => {
    const server = await startServer();
    try {
      await setUpOrganization(server.url, OWNER);
      const [member] = await seedMembers(server);
      // The lock makes the request's flush fail, so the write is still queued when the signal comes.
      const release = holdWriteLock(server);
      const response = await send(server, member!, "/");
      expect(response.status).toBe(200);
      await response.text(); // an unread body keeps the connection busy and delays the stop past the retry timer
      const exited = server.stop(signal);
      // The shutdown flush waits for the lock (the one place that may); let it go shortly after.
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      expect(await exited).toBe(0);
      expect(lastActiveOf(server, member!.memberId)).not.toBeNull();
    } finally {
      await server.stop();
    }
  });
});

describe("several processes on one database", () => {
  it("two servers racing on the same member write once", async () => {
    const first = await startServer();
    const second = await startServer({ dataDir: first.dataDir });
    try {
      await setUpOrganization(first.url, OWNER);
      withDatabase(first.databasePath, logActivityWrites);
      const [member] = await seedMembers(first);
      // Both load the row while it is still NULL and both queue a write; the lock keeps both queued until released.
      const release = holdWriteLock(first);
      const responses = await Promise.all([send(first, member!, "/"), send(second, member!, "/")]);
      release();
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      await vi.waitFor(
        () => {
          for (const server of [first, second]) expect(server.output()).toContain(`${FAILURE_LINE}: recovered after`);
        },
        { timeout: 5000, interval: 100 },
      );
      expect(writesOf(first, member!.memberId)).toHaveLength(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
