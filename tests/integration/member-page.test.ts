// The member page (/admin/members/:id) over HTTP on the built server: who sees what (activity data only for
// activity.view, in HTML and loader data), another organization's member is a 404, actions reuse the members page's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { inviteAndAccept, memberId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
let server: TestServer;
let owner: Client;
let managerOnly: Client;
let activityOnly: Client;
let plainMember: Client;
let target: number;
let rivalMember: number;

beforeAll(async () => {
  // A window that is not the default, so the explanation is shown to follow the configuration.
  server = await startServer({ env: { ACTIVITY_DEBOUNCE_SECONDS: "120", ACTIVITY_HISTORY_DAYS: "380" } });
  const db = server.databasePath;
  owner = await setUpOrganization(server.url);
  await owner.post("/admin/roles", { intent: "create", name: "Managers", permission: "members.manage" });
  await owner.post("/admin/roles", { intent: "create", name: "HR", permission: "activity.view" });
  managerOnly = await inviteAndAccept(owner, db, "Acme", "manager@example.com", ["Managers"]);
  activityOnly = await inviteAndAccept(owner, db, "Acme", "hr@example.com", ["HR"]);
  plainMember = await inviteAndAccept(owner, db, "Acme", "plain@example.com", ["Member"]);
  await inviteAndAccept(owner, db, "Acme", "target@example.com", ["Member"]);
  target = memberId(db, "Acme", "target@example.com");
  const rival = await inviteAndAccept(owner, db, "Acme", "rival@example.com", ["Member"]);
  await rival.post("/orgs/new", { orgName: "Rival" });
  await inviteAndAccept(rival, db, "Rival", "rival-member@example.com", ["Member"]);
  rivalMember = memberId(db, "Rival", "rival-member@example.com");
  withDatabase(db, (d) => {
    const today = Date.now() - (Date.now() % DAY);
    const insert = d.prepare("insert or ignore into member_activity_days (member_id, day) values (?, ?)");
    for (const back of [0, 1, 2, 9, 40, 200]) insert.run(target, today - back * DAY);
  });
});
afterAll(async () => {
  await server.stop();
});

const page = (id: number) => `/admin/members/${id}`;

describe("the member page", () => {
  it("shows an activity.view holder the member, their active days, the heatmap and what counts as active", async () => {
    for (const client of [owner, activityOnly]) {
      const response = await client.get(page(target));
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain("target@example.com");
      expect(html).toContain("First active day");
      expect(html).toContain("Days active, last 7 days");
      expect(html).toContain('class="heatmap-svg"');
      expect(html.match(/<rect /g)?.length).toBeGreaterThan(52 * 7);
      expect(html).toMatch(/<title>[A-Z][a-z]+ \d{1,2}, \d{4}: active<\/title>/);
      expect(html).toContain("6 active days, by month");
      expect(html).toContain("Invited by");
      expect(html).toContain("Olivia Owner");
      // The configured window (120 s) and horizon (380 days), not the defaults.
      expect(html).toContain("at most once every 2 minutes");
      expect(html).toContain("kept for 380 days");
    }
  });

  it("says what counts as active on the members page too, with the configured window", async () => {
    const html = await (await owner.get("/admin/members")).text();
    expect(html).toContain("What counts as active?");
    expect(html).toContain("at most once every 2 minutes, so “3 minutes ago” can be up to 2 minutes older");
    expect(await (await managerOnly.get("/admin/members")).text()).not.toContain("What counts as active?");
  });

  it("shows it in Swedish with Monday-first weeks", async () => {
    const html = await (await owner.get(`${page(target)}?lng=sv`)).text();
    expect(html).toContain("Första aktiva dag");
    expect(html).toContain("högst en gång per 2 minuter");
    expect(html).toMatch(/<title>\d{1,2} [a-zä]+ \d{4}: aktiv<\/title>/);
    expect(html).toContain(">mån<");
  });

  it("gives viewers without activity.view the member and the actions, and no activity data in HTML or ?_data", async () => {
    const html = await (await managerOnly.get(page(target))).text();
    expect(html).toContain("target@example.com");
    expect(html).toContain('name="intent" value="deactivate"');
    const data = await (await managerOnly.get(`${page(target)}?_data=routes/admin.members_.$memberId`)).text();
    expect(data).toContain("target@example.com");
    for (const body of [html, data]) {
      expect(body).not.toMatch(/lastActiveAt|firstActiveDay|activeDays|heatmap|Last active|First active day/);
      expect(body).not.toContain("What counts as active");
    }
  });

  it("shows members.manage holders the member's audit entries, newest first, with a link to all of them", async () => {
    const hr = withDatabase(server.databasePath, (d) =>
      d.prepare("select id from roles where name = 'HR'").pluck().get(),
    );
    const member = withDatabase(server.databasePath, (d) =>
      d.prepare("select id from roles where builtin = 'member'").pluck().get(),
    );
    const changed = await owner.post("/admin/members", {
      intent: "setRoles",
      memberId: String(target),
      roleId: String(hr),
    });
    expect(changed.status).toBe(302);
    await owner.post("/admin/members", { intent: "setRoles", memberId: String(target), roleId: String(member) });
    for (const client of [owner, managerOnly]) {
      const html = await (await client.get(page(target))).text();
      const history = html.slice(html.indexOf('id="member-history-heading"'));
      expect(history).toContain("Audit log");
      // Newest first: back to Member, then HR, then the invitation it was accepted from.
      const rows = [...history.matchAll(/<tr data-action="([a-z._]+)"/g)].map((match) => match[1]);
      expect(rows.slice(0, 2)).toEqual(["member.roles_changed", "member.roles_changed"]);
      expect(rows).toContain("member.invited");
      expect(history).toContain(`href="/admin/audit?target=${target}"`);
    }
    // The audit log is members.manage's: an activity-only viewer sees none of it.
    const html = await (await activityOnly.get(page(target))).text();
    expect(html).not.toContain("member-history-heading");
    const data = (await (
      await activityOnly.get(`${page(target)}?_data=routes%2Fadmin.members_.%24memberId`)
    ).json()) as {
      history: unknown;
    };
    expect(data.history).toBeNull();
  });

  it("shows an activity-only viewer no action forms", async () => {
    const html = await (await activityOnly.get(page(target))).text();
    expect(html).not.toContain('name="intent"');
  });

  it("refuses members without either permission and answers 404 for another organization's or a malformed id", async () => {
    expect((await plainMember.get(page(target))).status).toBe(403);
    expect((await new Client(server.url).get(page(target))).status).toBe(302);
    for (const path of [page(rivalMember), page(999_999), "/admin/members/abc", "/admin/members/0"]) {
      const response = await owner.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain("rival-member@example.com");
    }
    const data = await owner.get(`${page(rivalMember)}?_data=routes/admin.members_.$memberId`);
    expect(data.status).toBe(404);
    expect(await data.text()).not.toContain("rival-member");
  });

  it("acts with the members page's intents: deactivate comes back here, remove lands on the list", async () => {
    const deactivated = await owner.post(page(target), { intent: "deactivate", memberId: String(target) });
    expect(deactivated.status).toBe(302);
    expect(deactivated.headers.get("location")).toBe(page(target));
    expect(await (await owner.get(page(target))).text()).toContain("badge-deactivated");
    // An intent for another member, or one the page has no form for, is a bad request.
    const other = memberId(server.databasePath, "Acme", "plain@example.com");
    expect((await owner.post(page(target), { intent: "deactivate", memberId: String(other) })).status).toBe(400);
    expect((await owner.post(page(target), { intent: "deactivateSelected", memberId: String(target) })).status).toBe(
      400,
    );
    expect((await owner.post(page(rivalMember), { intent: "remove", memberId: String(rivalMember) })).status).toBe(404);
    expect((await activityOnly.post(page(target), { intent: "remove", memberId: String(target) })).status).toBe(403);
    const removed = await owner.post(page(target), { intent: "remove", memberId: String(target) });
    expect(removed.status).toBe(302);
    expect(removed.headers.get("location")).toBe("/admin/members");
    expect((await owner.get(page(target))).status).toBe(404);
    // The member's history leaves with them (foreign key cascade).
    const left = withDatabase(server.databasePath, (d) =>
      d.prepare("select count(*) from member_activity_days where member_id = ?").pluck().get(target),
    );
    expect(left).toBe(0);
  });
});
