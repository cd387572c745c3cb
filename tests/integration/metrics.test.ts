// The metrics endpoint of the built server (METRICS_PORT): what a short load moves, by exactly how much, and that the
// public port never serves it. Litestream's own metrics through npm start.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpOrganization } from "../support/client";
import { delta, type Samples, sample, scrape } from "../support/metrics";
import { insertMembers, type SignedInMember, signInMembers } from "../support/seed";
import { freePort, SESSION_SECRET, startServer, type TestServer } from "../support/server";
import { killStartedApps, makeDeployment, startApp, waitFor } from "../support/start-script";

const MEMBERS = 24;
const REQUESTS_PER_MEMBER = 5;
const CONCURRENCY = 8;
const API_ROUTE = "routes/api.org.members-with-roles";

async function seedMembers(server: TestServer, count: number): Promise<SignedInMember[]> {
  const sqlite = new Database(server.databasePath);
  try {
    sqlite.pragma("busy_timeout = 5000");
    const organizationId = sqlite.prepare("SELECT min(id) FROM organizations").pluck().get() as number;
    return await signInMembers(sqlite, insertMembers(sqlite, { organizationId, count }), { secret: SESSION_SECRET });
  } finally {
    sqlite.close();
  }
}

/** Runs the tasks with at most `limit` in flight. */
async function bounded(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]?.();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe("metrics on METRICS_PORT", () => {
  let server: TestServer;
  let members: SignedInMember[];
  let owner: Awaited<ReturnType<typeof setUpOrganization>>;
  let before: Samples;
  let during: Samples;
  let after: Samples;
  const statuses: number[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { DATABASE_BUSY_TIMEOUT_MS: "50" } });
    owner = await setUpOrganization(server.url);
    members = await seedMembers(server, MEMBERS);
    before = await scrape(server.metricsUrl);

    // The load: every member calls the JSON API a few times (a Member lacks activity.view: 403, one touch each); the
    // owner loads the members page's data; one unknown path.
    const calls = members.flatMap((member) =>
      Array.from({ length: REQUESTS_PER_MEMBER }, () => async () => {
        const response = await fetch(`${server.url}/api/org/members-with-roles`, {
          headers: { Cookie: member.cookie },
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }),
    );
    const load = bounded(calls, CONCURRENCY);
    during = await scrape(server.metricsUrl);
    await load;
    for (let i = 0; i < 3; i += 1) {
      const response = await owner.get("/admin/members?_data=routes%2Fadmin.members");
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const missing = await fetch(`${server.url}/no-such-page`);
    expect(missing.status).toBe(404);
    // Read to the end: a request is observed when its response has ended.
    await missing.arrayBuffer();

    // One write refused as busy: another connection holds the write lock while a member signs out.
    const other = new Database(server.databasePath);
    other.exec("BEGIN IMMEDIATE");
    try {
      const [leaving] = members;
      const response = await fetch(`${server.url}/logout`, {
        method: "POST",
        headers: { Cookie: leaving?.cookie ?? "" },
        redirect: "manual",
      });
      expect(response.status).toBe(503);
      await response.arrayBuffer();
    } finally {
      other.exec("COMMIT");
      other.close();
    }
    after = await scrape(server.metricsUrl);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("answers a scrape while requests are in flight", () => {
    expect(during.get("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(during.has("nodejs_heap_size_used_bytes")).toBe(true);
  });

  it("counts requests by route id, method and status class, with their durations", () => {
    const api = { route: API_ROUTE, method: "GET", status: "4xx" };
    const calls = MEMBERS * REQUESTS_PER_MEMBER;
    expect(statuses.every((status) => status === 403)).toBe(true);
    expect(delta(before, after, sample("roster_http_request_duration_seconds_count", api))).toBe(calls);
    expect(delta(before, after, sample("roster_http_request_duration_seconds_bucket", { le: "+Inf", ...api }))).toBe(
      calls,
    );
    expect(delta(before, after, sample("roster_http_request_duration_seconds_sum", api))).toBeGreaterThan(0);
    const page = { route: "routes/admin.members", method: "GET", status: "2xx" };
    expect(delta(before, after, sample("roster_http_request_duration_seconds_count", page))).toBe(3);
    const unknown = { route: "none", method: "GET", status: "4xx" };
    expect(delta(before, after, sample("roster_http_request_duration_seconds_count", unknown))).toBe(1);
    const logout = { route: "routes/logout", method: "POST", status: "5xx" };
    expect(delta(before, after, sample("roster_http_request_duration_seconds_count", logout))).toBe(1);
  });

  it("labels requests with route ids, never with paths or ids", () => {
    const routes = [...after.keys()]
      .map((key) => /^roster_http_request_duration_seconds_count\{route="([^"]*)"/.exec(key)?.[1])
      .filter((route) => route !== undefined);
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(route).toMatch(/^(root|routes\/[\w.$[\]-]+|static|none)$/);
  });

  it("counts the activity tracker's touches, writes and flushes: each member written once in the window", () => {
    // The owner's three members-page loads are touches too (written at setup, so not due); signing out is not one.
    expect(delta(before, after, "roster_activity_touches_total")).toBe(MEMBERS * REQUESTS_PER_MEMBER + 3);
    expect(delta(before, after, "roster_activity_writes_total")).toBe(MEMBERS);
    expect(delta(before, after, "roster_activity_unchanged_total")).toBe(0);
    expect(delta(before, after, "roster_activity_failed_flushes_total")).toBe(0);
    expect(after.get("roster_activity_queue_length")).toBe(0);
    const flushes = delta(before, after, "roster_activity_flush_duration_seconds_count");
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(flushes).toBeLessThanOrEqual(MEMBERS);
  });

  it("counts writes refused as busy, and times the members page's loader", () => {
    expect(delta(before, after, sample("roster_db_write_refusals_total", { reason: "busy" }))).toBe(1);
    expect(delta(before, after, "roster_members_page_loader_seconds_count")).toBe(3);
  });

  it("is not served on the public port, and the metrics port serves nothing else", async () => {
    const onPublic = await fetch(`${server.url}/metrics`);
    expect(onPublic.status).toBe(404);
    expect(await onPublic.text()).not.toContain("roster_http_request_duration_seconds");
    expect((await fetch(server.metricsUrl.replace(/\/metrics$/, "/healthz"))).status).toBe(404);
  });
});

describe("Litestream's metrics", () => {
  afterAll(killStartedApps);

  it("are served where LITESTREAM_METRICS_ADDR says, beside the app's", async () => {
    const port = await freePort();
    const app = await startApp(makeDeployment("200ms"), { LITESTREAM_METRICS_ADDR: `127.0.0.1:${port}` });
    const names = await waitFor("Litestream's metrics", async () => {
      const scraped = await scrape(`http://127.0.0.1:${port}/metrics`).catch(() => null);
      const found = [...(scraped?.keys() ?? [])].map((key) => key.split("{")[0]);
      return found.includes("litestream_sync_count") ? found : null;
    });
    expect(names).toEqual(expect.arrayContaining(["litestream_db_size", "litestream_sync_error_count"]));
    await app.stop();
  }, 60_000);
});
