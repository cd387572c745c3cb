// Several machines on LiteFS, simulated on loopback (no LiteFS binary here): a primary with the writable database and a
// replica reading a copy of it, whose LITEFS_DIR holds `.primary`. Activity seen by the replica is written by the
// primary, once per window; the internal endpoint refuses bad tokens and non-primaries; a primary that stops costs the
// replica no more than its in-memory queue (measured and printed).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityWrites, lastActiveAt, logActivityWrites } from "../support/activity";
import { type Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { delta, type Samples, sample, scrape } from "../support/metrics";
import { insertMembers, type SignedInMember, signInMembers } from "../support/seed";
import { makeDataDir, SESSION_SECRET, startServer, type TestServer } from "../support/server";
import { waitFor } from "../support/start-script";

const TOKEN = "simulation-token-0123456789abcdef0123456789";
const FIRST = 8; // members active on the replica while the primary is up
const DURING_RESTART = 6; // members active while the primary restarts
const AT_REPLICA_STOP = 4; // members active when the replica stops with the primary still away

function send(server: TestServer, member: SignedInMember): Promise<number> {
  return fetch(`${server.url}/api/org/members-with-roles`, { headers: { Cookie: member.cookie } }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
  );
}

/** Every member sends `times` requests to the server; resolves with the slowest request's milliseconds. */
async function browse(server: TestServer, members: SignedInMember[], times: number): Promise<number> {
  let slowest = 0;
  await Promise.all(
    members.flatMap((member) =>
      Array.from({ length: times }, async () => {
        const started = performance.now();
        expect(await send(server, member)).toBe(403);
        slowest = Math.max(slowest, performance.now() - started);
      }),
    ),
  );
  return slowest;
}

const writtenOf = (server: TestServer, members: SignedInMember[]) =>
  withDatabase(server.databasePath, (db) => members.filter((member) => lastActiveAt(db, member.memberId) !== null));

const postActivity = (url: string, token: string | null, body: string) =>
  fetch(`${url}/internal/activity`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body,
  });

describe("several machines on LiteFS (simulated): activity writes made on a replica", () => {
  let primary: TestServer;
  let replica: TestServer;
  let members: SignedInMember[];
  let owner: Client;
  const primaryEnv = () => ({ INTERNAL_API_TOKEN: TOKEN, LITEFS_DIR: makeDataDir("roster-litefs-primary-") });
  let replicaStart: Samples;

  beforeAll(async () => {
    primary = await startServer({ env: primaryEnv() });
    owner = await setUpOrganization(primary.url);
    const sqlite = new Database(primary.databasePath);
    try {
      sqlite.pragma("busy_timeout = 5000");
      logActivityWrites(sqlite);
      const organizationId = sqlite.prepare("SELECT min(id) FROM organizations").pluck().get() as number;
      const count = FIRST + DURING_RESTART + AT_REPLICA_STOP;
      members = await signInMembers(sqlite, insertMembers(sqlite, { organizationId, count }), {
        secret: SESSION_SECRET,
      });
      // The replica's copy, as LiteFS would have shipped it: sessions and members included.
      const replicaData = makeDataDir("roster-litefs-replica-");
      await sqlite.backup(path.join(replicaData, "roster.db"));
      const liteFsDir = makeDataDir("roster-litefs-mount-");
      fs.writeFileSync(path.join(liteFsDir, ".primary"), "127.0.0.1");
      replica = await startServer({
        dataDir: replicaData,
        env: {
          INTERNAL_API_TOKEN: TOKEN,
          LITEFS_DIR: liteFsDir,
          PRIMARY_PORT: new URL(primary.url).port,
          PRIMARY_REGION: "arn",
        },
      });
    } finally {
      sqlite.close();
    }
    replicaStart = await scrape(replica.metricsUrl);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([replica?.stop(), primary?.stop()]);
  });

  it("records the replica's activity in the primary's database, once per member per window", async () => {
    const active = members.slice(0, FIRST);
    await browse(replica, active, 3);
    await waitFor("the primary to write them", () => writtenOf(primary, active).length === FIRST, 10_000);
    await browse(replica, active, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    withDatabase(primary.databasePath, (db) => {
      for (const member of active) expect(activityWrites(db, member.memberId)).toHaveLength(1);
    });
    // Nothing was written on the replica's side: its copy is the primary's to change.
    expect(writtenOf(replica, active)).toEqual([]);
    const after = await scrape(replica.metricsUrl);
    const batches = delta(replicaStart, after, sample("roster_activity_forwards_total", { outcome: "ok" }));
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(delta(replicaStart, after, "roster_activity_writes_total")).toBe(FIRST);
    console.log(
      `LiteFS simulation: ${FIRST} members x 5 requests on the replica → ${batches} forwarded batch(es), ${FIRST} writes on the primary`,
    );
  });

  it("answers a GET that must write (an audited export) with fly-replay to the primary, writing nothing", async () => {
    const count = (server: TestServer) =>
      withDatabase(server.databasePath, (db) => db.prepare("select count(*) from audit_events").pluck().get());
    const before = count(replica);
    for (const path of ["/admin/members.csv", "/api/org/members-with-roles"]) {
      const response = await owner.get(`${replica.url}${path}`);
      expect(response.status, path).toBe(409);
      expect(response.headers.get("fly-replay"), path).toBe("region=arn");
    }
    expect(count(replica)).toBe(before);
    // The primary serves it, and logs it.
    expect((await owner.get("/admin/members.csv")).status).toBe(200);
  });

  it("refuses requests without the token, with a wrong one, bodies it cannot read, and on a replica", async () => {
    // A debounced write, as a replica sends it: only if nothing was stored within the window.
    const now = Date.now();
    const batch = JSON.stringify({ writes: [{ memberId: members[0]?.memberId, at: now, notAfter: now - 300_000 }] });
    expect((await postActivity(primary.url, null, batch)).status).toBe(401);
    expect((await postActivity(primary.url, `${TOKEN.slice(0, -1)}x`, batch)).status).toBe(401);
    expect((await postActivity(primary.url, "short", batch)).status).toBe(401);
    expect((await postActivity(replica.url, TOKEN, batch)).status).toBe(409);
    expect((await postActivity(primary.url, TOKEN, "{not json")).status).toBe(400);
    expect((await postActivity(primary.url, TOKEN, JSON.stringify({ writes: [{ memberId: "1" }] }))).status).toBe(400);
    expect((await postActivity(primary.url, TOKEN, "x".repeat(70 * 1024))).status).toBe(413);
    expect((await fetch(`${primary.url}/internal/activity`)).status).toBe(405);
    const applied = await postActivity(primary.url, TOKEN, batch);
    expect(applied.status).toBe(200);
    // Member 0 was written within the window (the first test): the conditional update leaves it alone.
    expect(await applied.json()).toEqual({ unchanged: [members[0]?.memberId] });
  });

  it("keeps answering while the primary is away, and loses nothing when it comes back within the retries", async () => {
    const port = Number(new URL(primary.url).port);
    await primary.stop();
    const waiting = members.slice(FIRST, FIRST + DURING_RESTART);
    const slowest = await browse(replica, waiting, 2);
    const queued = await waitFor(
      "the failed forward to go back to the queue",
      async () => {
        const samples = await scrape(replica.metricsUrl);
        const length = samples.get("roster_activity_queue_length") ?? 0;
        const failed = delta(replicaStart, samples, "roster_activity_failed_flushes_total") >= 1;
        return failed && length === DURING_RESTART ? length : 0;
      },
      10_000,
    );
    expect(queued).toBe(DURING_RESTART);
    // A request never waits for the primary.
    expect(slowest).toBeLessThan(1_000);

    primary = await startServer({ dataDir: primary.dataDir, port, env: primaryEnv() });
    await waitFor(
      "the queued writes to reach the primary",
      () => writtenOf(primary, waiting).length === DURING_RESTART,
      10_000,
    );
    const lost = DURING_RESTART - writtenOf(primary, waiting).length;
    expect(lost).toBe(0);
    console.log(
      `LiteFS simulation: primary stopped; ${DURING_RESTART} members active on the replica meanwhile (slowest request ${Math.round(slowest)} ms), ${queued} queued, ${lost} lost after the primary came back`,
    );
  }, 40_000);

  it("loses exactly its in-memory queue when the replica stops while the primary is away", async () => {
    const port = Number(new URL(primary.url).port);
    await primary.stop();
    const last = members.slice(FIRST + DURING_RESTART);
    await browse(replica, last, 1);
    const queued = await waitFor(
      "the writes to wait in the queue",
      async () => {
        const length = (await scrape(replica.metricsUrl)).get("roster_activity_queue_length");
        return length === AT_REPLICA_STOP ? length : 0;
      },
      10_000,
    );
    await replica.stop();
    primary = await startServer({ dataDir: primary.dataDir, port, env: primaryEnv() });
    const lost = AT_REPLICA_STOP - writtenOf(primary, last).length;
    expect(queued).toBe(AT_REPLICA_STOP);
    expect(lost).toBe(queued);
    console.log(
      `LiteFS simulation: replica stopped with the primary away: ${queued} writes were queued in its memory, ${lost} lost (those members show their previous last activity until their next request)`,
    );
  }, 40_000);
});
