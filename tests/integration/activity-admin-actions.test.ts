// What writes last_active_at at once (invitation acceptance, switching organization; API calls count like any
// request) and what never writes it (anything an admin does to another member) (SPEC §4).
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { acceptAsNewUser, invite, inviteAndAccept, memberId, roleId } from "../support/members";
import { insertMembers, signInMembers } from "../support/seed";
import { SESSION_SECRET, startServer, type TestServer } from "../support/server";

const LONG_AGO = Date.UTC(2026, 0, 15, 12);

let server: TestServer;
let owner: Client;

beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
  await owner.post("/admin/roles", { intent: "create", name: "HR", permission: "activity.view" });
});
afterAll(async () => {
  await server.stop();
});

const activityOf = (id: number) =>
  withDatabase(server.databasePath, (db) => ({
    lastActiveAt: db.prepare("select last_active_at from members where id = ?").pluck().get(id) as number | null,
    days: db.prepare("select count(*) from member_activity_days where member_id = ?").pluck().get(id) as number,
  }));

function setLastActive(id: number, at: number | null) {
  withDatabase(server.databasePath, (db) =>
    db.prepare("update members set last_active_at = ? where id = ?").run(at, id),
  );
}

/** Waits until queued writes of the app's tracker have flushed (they land within a tick of the response). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("never written by admin actions on another member", () => {
  it("role changes, role edits, deactivation and reactivation leave the target's last activity alone", async () => {
    await inviteAndAccept(owner, server.databasePath, "Acme", "target@example.com", ["Member"]);
    const target = memberId(server.databasePath, "Acme", "target@example.com");
    setLastActive(target, LONG_AGO);
    const before = activityOf(target);
    const hr = String(roleId(server.databasePath, "Acme", "HR"));
    const members = String(roleId(server.databasePath, "Acme", "Member"));

    const requests: [string, Record<string, string>][] = [
      ["/admin/members", { intent: "setRoles", memberId: String(target), roleId: hr }],
      ["/admin/roles", { intent: "update", roleId: hr, name: "People", permission: "activity.view" }],
      ["/admin/members", { intent: "setRoles", memberId: String(target), roleId: members }],
      ["/admin/members", { intent: "deactivate", memberId: String(target) }],
      ["/admin/members", { intent: "reactivate", memberId: String(target) }],
    ];
    for (const [path, fields] of requests) {
      expect((await owner.post(path, fields)).status, `${fields.intent}`).toBe(302);
      await settle();
      expect(activityOf(target), `after ${fields.intent}`).toEqual(before);
    }
  });

  it("inviting someone and renewing their link do not make them active", async () => {
    await invite(owner, "invitee@example.com", [roleId(server.databasePath, "Acme", "Member")]);
    const invitee = memberId(server.databasePath, "Acme", "invitee@example.com");
    const invitationId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from invitations where member_id = ?").pluck().get(invitee),
    );
    await owner.post("/admin/members", { intent: "renewInvitation", invitationId: String(invitationId) });
    await settle();
    expect(activityOf(invitee)).toEqual({ lastActiveAt: null, days: 0 });
    const html = await (await owner.get("/admin/members?status=never")).text();
    expect(html).toContain("invitee@example.com");
  });
});

describe("written at once", () => {
  it("accepting an invitation makes the new member active immediately", async () => {
    const path = await invite(owner, "joiner@example.com", [roleId(server.databasePath, "Acme", "Member")]);
    const joiner = memberId(server.databasePath, "Acme", "joiner@example.com");
    const before = Date.now();
    await acceptAsNewUser(server, path, "Joiner", "a long password");
    await settle();
    const { lastActiveAt, days } = activityOf(joiner);
    expect(lastActiveAt).toBeGreaterThanOrEqual(before);
    expect(days).toBe(1);
  });

  it("switching organization writes the member's activity in the organization switched to, inside the window", async () => {
    const switcher = await inviteAndAccept(owner, server.databasePath, "Acme", "switcher@example.com", ["Member"]);
    await switcher.post("/orgs/new", { orgName: "Second" });
    const inAcme = memberId(server.databasePath, "Acme", "switcher@example.com");
    // Recently active: inside the 300 s window, so only an immediate write would change it.
    const recent = Date.now() - 60_000;
    setLastActive(inAcme, recent);
    const acmeId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from organizations where name = 'Acme'").pluck().get(),
    );
    expect((await switcher.post("/orgs/switch", { organizationId: String(acmeId) })).status).toBe(302);
    await settle();
    expect(activityOf(inAcme).lastActiveAt).toBeGreaterThan(recent);
  });

  it("a JSON API call counts as activity like a page view", async () => {
    // A member and session made straight in the database, never touched by this server's tracker yet
    // (signing in would write at once and start the member's window).
    const people = roleId(server.databasePath, "Acme", "People");
    const db = new Database(server.databasePath);
    const seeded = insertMembers(db, { organizationId: 1, count: 1 });
    db.prepare("insert into member_roles (member_id, role_id) values (?, ?)").run(seeded[0]?.memberId, people);
    const [session] = await signInMembers(db, seeded, { secret: SESSION_SECRET });
    db.close();
    const analyst = session?.memberId ?? 0;
    setLastActive(analyst, LONG_AGO);
    const response = await fetch(`${server.url}/api/org/members-with-roles`, {
      headers: { Cookie: session?.cookie ?? "" },
    });
    expect(response.status).toBe(200);
    await settle();
    expect(activityOf(analyst).lastActiveAt).toBeGreaterThan(LONG_AGO);
  });
});
