// The dormant-account policy over HTTP and across processes, on the real built server: previews (no JavaScript: a GET)
// in English and Swedish, one policy.changed entry per saved change and none for a refused save, the sweep at start
// (sessions ended, one system entry per member), a reactivated member surviving the next day's sweep,
// DORMANT_SWEEP=off, and two processes starting on one database at once.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../support/client";
import { withDatabase } from "../support/db";
import { insertMembers, insertOrganization, type SeededMember, signInMembers } from "../support/seed";
import { makeDataDir, SESSION_SECRET, startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
let server: TestServer;
let dataDir: string;
let owner: Client;
let members: (SeededMember & { client: Client })[];

function clientWith(cookie: string, url: string) {
  const client = new Client(url);
  const [name = "", value = ""] = cookie.split(/=(.*)/s);
  client.cookies.set(name, value);
  return client;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  return withDatabase(server.databasePath, (db) => db.prepare(sql).all(...params) as T[]);
}

const auditCount = (action: string) =>
  query<{ n: number }>("select count(*) as n from audit_events where action = ?", action)[0]?.n;

/** Waits until `done` holds on the database (the sweep runs a second after start). */
async function waitFor(done: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const lastRun = () =>
  query<{ lastRunAt: number | null; lastRunCount: number }>(
    "select last_run_at as lastRunAt, last_run_count as lastRunCount from dormant_policies",
  )[0];

async function restart(env: Record<string, string> = {}) {
  await server.stop();
  server = await startServer({ dataDir, env });
  for (const client of [owner, ...members.map((member) => member.client)]) {
    (client as { baseUrl: string }).baseUrl = server.url;
  }
}

beforeAll(async () => {
  server = await startServer();
  dataDir = server.dataDir;
  const sqlite = new Database(server.databasePath);
  try {
    sqlite.pragma("busy_timeout = 5000");
    const org = insertOrganization(sqlite, { name: "Acme" });
    const seeded = insertMembers(sqlite, { organizationId: org.organizationId, count: 3, label: "m" });
    const now = Date.now();
    const setActive = sqlite.prepare("update members set last_active_at = ? where id = ?");
    setActive.run(now - 100 * DAY, seeded[0]?.memberId);
    setActive.run(now - 100 * DAY, seeded[1]?.memberId);
    setActive.run(now - 10 * DAY, seeded[2]?.memberId);
    setActive.run(now, org.owner.memberId);
    const [ownerCookie, ...memberCookies] = await signInMembers(sqlite, [org.owner, ...seeded], {
      secret: SESSION_SECRET,
    });
    owner = clientWith(ownerCookie?.cookie ?? "", server.url);
    members = seeded.map((member, index) => ({
      ...member,
      client: clientWith(memberCookies[index]?.cookie ?? "", server.url),
    }));
  } finally {
    sqlite.close();
  }
});

afterAll(async () => {
  await server.stop();
});

const onAt90 = { enabled: "on", thresholdDays: "90", graceDays: "7" };

describe("the settings page", () => {
  it("previews with the form's values as a GET, listing whom the next run would deactivate", async () => {
    const response = await owner.get(`/admin/settings?preview=1&${new URLSearchParams(onAt90)}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("it would deactivate 2 members");
    expect(html).toContain(members[0]?.email);
    expect(html).toContain(members[1]?.email);
    expect(html).not.toContain(members[2]?.email);
    expect(html).toMatch(/<time dateTime="[^"]+" title="[^"]+">/);
    const swedish = await (await owner.get(`/admin/settings?lng=sv&preview=1&${new URLSearchParams(onAt90)}`)).text();
    expect(swedish).toContain("skulle den inaktivera 2 medlemmar");
  });

  it("answers a preview with bad values with a translated 400 and no list", async () => {
    const bad = new URLSearchParams({ ...onAt90, thresholdDays: "10" });
    const response = await owner.get(`/admin/settings?preview=1&${bad}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter a whole number of days from 30 to 730.");
    const swedish = await owner.get(`/admin/settings?lng=sv&preview=1&${bad}`);
    expect(swedish.status).toBe(400);
    expect(await swedish.text()).toContain("Ange ett helt antal dagar från 30 till 730.");
  });

  it("records one policy.changed entry per saved change, and none for a refused or unchanged save", async () => {
    for (const fields of [
      { ...onAt90, thresholdDays: "731" },
      { ...onAt90, graceDays: "0" },
      { ...onAt90, thresholdDays: "ninety" },
      { ...onAt90, exemptRoleId: "999999" },
    ]) {
      expect((await owner.post("/admin/settings", fields)).status, JSON.stringify(fields)).toBe(400);
    }
    expect(auditCount("policy.changed")).toBe(0);
    const saved = await owner.post("/admin/settings", onAt90);
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/admin/settings");
    expect(await (await owner.get("/admin/settings")).text()).toContain("Dormant-account policy saved.");
    expect(auditCount("policy.changed")).toBe(1);
    const [entry] = query<{ actor: number; change: string }>(
      "select actor_member_id as actor, change from audit_events where action = 'policy.changed'",
    );
    expect(JSON.parse(entry?.change ?? "")).toEqual({ enabled: { before: false, after: true } });
    expect((await owner.post("/admin/settings", onAt90)).status).toBe(302);
    expect(auditCount("policy.changed")).toBe(1);
  });
});

describe("the sweep in the server process", () => {
  it("runs at start: deactivates the dormant, ends their sessions, one system entry each, records the run", async () => {
    await restart();
    await waitFor(() => lastRun()?.lastRunCount === 2, "the first sweep");
    const rows = query<{ id: number; deactivatedAt: number | null }>(
      "select id, deactivated_at as deactivatedAt from members order by id",
    );
    const status = (member?: SeededMember) => rows.find((row) => row.id === member?.memberId)?.deactivatedAt !== null;
    expect([status(members[0]), status(members[1]), status(members[2])]).toEqual([true, true, false]);
    const entries = query<{ actor: number | null; target: number }>(
      "select actor_member_id as actor, target_id as target from audit_events where action = 'member.deactivated' order by target_id",
    );
    expect(entries).toEqual([
      { actor: null, target: members[0]?.memberId },
      { actor: null, target: members[1]?.memberId },
    ]);
    const signedOut = await members[0]?.client.get("/");
    expect(signedOut?.status).toBe(302);
    expect(signedOut?.headers.get("location")).toMatch(/^\/login/);
    expect((await members[2]?.client.get("/"))?.status).toBe(200);
    expect(await (await owner.get("/admin/settings")).text()).toContain("2 members deactivated");
  });

  it("leaves a reactivated member alone at the next day's sweep", async () => {
    const reactivated = await owner.post("/admin/members", {
      intent: "reactivate",
      memberId: String(members[0]?.memberId),
    });
    expect(reactivated.status).toBe(302);
    const before = lastRun()?.lastRunAt ?? 0;
    await restart({ DORMANT_SWEEP_CLOCK_OFFSET_DAYS: "1" });
    await waitFor(() => (lastRun()?.lastRunAt ?? 0) > before, "the next day's sweep");
    expect(lastRun()?.lastRunCount).toBe(0);
    expect(query("select id from members where id = ? and deactivated_at is null", members[0]?.memberId)).toHaveLength(
      1,
    );
    expect(auditCount("member.deactivated")).toBe(2);
  });

  it("does not run with DORMANT_SWEEP=off", async () => {
    const before = lastRun();
    await restart({ DORMANT_SWEEP: "off", DORMANT_SWEEP_CLOCK_OFFSET_DAYS: "120" });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(lastRun()).toEqual(before);
    expect(query("select id from members where deactivated_at is null")).toHaveLength(3);
  });
});

describe("two processes on one database", () => {
  it("start at the same moment: each dormant member is deactivated and audited exactly once", async () => {
    const raceDir = makeDataDir();
    const first = await startServer({ dataDir: raceDir, env: { DORMANT_SWEEP: "off" } });
    await first.stop();
    const dormant = withDatabase(first.databasePath, (sqlite) => {
      const org = insertOrganization(sqlite, { name: "Race" });
      const seeded = insertMembers(sqlite, { organizationId: org.organizationId, count: 450 });
      sqlite
        .prepare("update members set last_active_at = ? where organization_id = ? and is_owner = 0")
        .run(Date.now() - 200 * DAY, org.organizationId);
      sqlite
        .prepare("insert into dormant_policies (organization_id, enabled, updated_at) values (?, 1, ?)")
        .run(org.organizationId, Date.now());
      return seeded.length;
    });
    const racers = await Promise.all([startServer({ dataDir: raceDir }), startServer({ dataDir: raceDir })]);
    try {
      const read = <T>(sql: string) => withDatabase(first.databasePath, (sqlite) => sqlite.prepare(sql).get() as T);
      const deadline = Date.now() + 20_000;
      while (read<{ n: number }>("select count(*) as n from members where deactivated_at is not null").n < dormant) {
        if (Date.now() > deadline) throw new Error(racers.map((racer) => racer.output()).join("\n"));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        read(
          "select count(*) as n, count(distinct target_id) as targets from audit_events where action = 'member.deactivated'",
        ),
      ).toEqual({ n: dormant, targets: dormant });
      expect(read("select last_run_count as n from dormant_policies")).toEqual({ n: dormant });
    } finally {
      await Promise.all(racers.map((racer) => racer.stop()));
    }
  });
});
