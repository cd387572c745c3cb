import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization, signIn } from "../support/client";
import { withDatabase } from "../support/db";
import { followRedirect, inviteAndAccept, memberId, roleId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;
let admin: Client;
beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
  admin = await inviteAndAccept(owner, server.databasePath, "Acme", "admin@example.com", ["Admin"]);
});
afterAll(async () => {
  await server.stop();
});

const rolesOf = (email: string) =>
  withDatabase(server.databasePath, (db) =>
    db
      .prepare(
        `select r.name from member_roles mr join roles r on r.id = mr.role_id join members m on m.id = mr.member_id
         join users u on u.id = m.user_id where u.email = ? and m.organization_id = 1 order by r.name`,
      )
      .pluck()
      .all(email),
  );

function post(client: Client, path: string, fields: [string, string][]) {
  return client.request(path, { method: "POST", body: new URLSearchParams(fields) });
}

describe("member management", () => {
  it("changes a member's roles in one step", async () => {
    await inviteAndAccept(owner, server.databasePath, "Acme", "bob@example.com", ["Member"]);
    const id = String(memberId(server.databasePath, "Acme", "bob@example.com"));
    const admins = String(roleId(server.databasePath, "Acme", "Admin"));
    const members = String(roleId(server.databasePath, "Acme", "Member"));
    const response = await post(admin, "/admin/members", [
      ["intent", "setRoles"],
      ["memberId", id],
      ["roleId", admins],
      ["roleId", members],
    ]);
    expect(await followRedirect(admin, response)).toContain("Roles changed for bob.");
    expect(rolesOf("bob@example.com")).toEqual(["Admin", "Member"]);

    const empty = await post(admin, "/admin/members", [
      ["intent", "setRoles"],
      ["memberId", id],
    ]);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choose at least one role.");
    expect(rolesOf("bob@example.com")).toEqual(["Admin", "Member"]);
  });

  it("deactivation stops the member's sessions at once and blocks sign-in; reactivation restores access", async () => {
    const carol = await inviteAndAccept(owner, server.databasePath, "Acme", "carol@example.com", ["Member"]);
    expect((await carol.get("/")).status).toBe(200);
    const id = String(memberId(server.databasePath, "Acme", "carol@example.com"));

    expect((await admin.post("/admin/members", { intent: "deactivate", memberId: id })).status).toBe(302);
    const refused = await carol.get("/directory");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Your access has been deactivated");
    const login = await new Client(server.url).post("/login", {
      email: "carol@example.com",
      password: "a long password",
    });
    expect(login.status).toBe(403);
    expect(await login.text()).toContain("no active organization");
    expect(await (await admin.get("/admin/members")).text()).toContain("Deactivated");

    expect((await admin.post("/admin/members", { intent: "reactivate", memberId: id })).status).toBe(302);
    expect((await carol.get("/directory")).status).toBe(200);
  });

  it("removes a member from the organization but keeps the user account", async () => {
    const dave = await inviteAndAccept(owner, server.databasePath, "Acme", "dave@example.com", ["Member"]);
    const id = String(memberId(server.databasePath, "Acme", "dave@example.com"));
    expect((await admin.post("/admin/members", { intent: "remove", memberId: id })).status).toBe(302);
    expect((await dave.get("/")).status).toBe(403);
    const users = withDatabase(server.databasePath, (db) =>
      db.prepare("select count(*) from users where email = 'dave@example.com'").pluck().get(),
    );
    expect(users).toBe(1);
  });

  it("never lets anyone else deactivate, remove or re-role the owner", async () => {
    const ownerId = String(memberId(server.databasePath, "Acme", "owner@example.com"));
    const members = String(roleId(server.databasePath, "Acme", "Member"));
    for (const intent of ["deactivate", "remove"]) {
      const response = await admin.post("/admin/members", { intent, memberId: ownerId });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("The owner cannot be deactivated");
    }
    const rerole = await admin.post("/admin/members", { intent: "setRoles", memberId: ownerId, roleId: members });
    expect(rerole.status).toBe(403);
    expect(rolesOf("owner@example.com")).toEqual(["Admin"]);
    expect((await owner.get("/admin/members")).status).toBe(200);
  });

  it("the owner keeps every permission whatever roles they hold", async () => {
    const ownerId = String(memberId(server.databasePath, "Acme", "owner@example.com"));
    const members = String(roleId(server.databasePath, "Acme", "Member"));
    expect(
      (await owner.post("/admin/members", { intent: "setRoles", memberId: ownerId, roleId: members })).status,
    ).toBe(302);
    expect((await owner.get("/admin/roles")).status).toBe(200);
    expect((await owner.get("/admin/members")).status).toBe(200);
  });

  it("does not let an admin deactivate or remove themselves", async () => {
    const self = String(memberId(server.databasePath, "Acme", "admin@example.com"));
    const response = await admin.post("/admin/members", { intent: "deactivate", memberId: self });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("You cannot deactivate or remove yourself.");
  });

  it("answers malformed ids with 400 and unknown ids with 404", async () => {
    expect((await admin.post("/admin/members", { intent: "deactivate", memberId: "1 OR 1=1" })).status).toBe(400);
    expect((await admin.post("/admin/members", { intent: "deactivate", memberId: "999999" })).status).toBe(404);
    expect((await admin.post("/admin/members", { intent: "explode", memberId: "1" })).status).toBe(400);
  });
});

/** The HTML of one member's row in the members table. */
function rowOf(html: string, email: string): string {
  const start = html.indexOf(`<tr data-member-email="${email}"`);
  expect(start, `no row for ${email}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</tr>", start));
}

describe("the members page's replies", () => {
  it("a change redirects back to the same view with a message that shows once, not after a refresh", async () => {
    await inviteAndAccept(owner, server.databasePath, "Acme", "flash@example.com", ["Member"]);
    const id = String(memberId(server.databasePath, "Acme", "flash@example.com"));
    const view = "/admin/members?q=flash&sort=name&dir=desc";
    const response = await admin.post(view, { intent: "deactivate", memberId: id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(view);
    const page = await followRedirect(admin, response);
    expect(page).toContain("flash deactivated.");
    const again = await (await admin.get(view)).text();
    expect(again).not.toContain("flash deactivated.");
    expect(rowOf(again, "flash@example.com")).toContain("Deactivated");

    const sv = await admin.post(`${view}&lng=sv`, { intent: "reactivate", memberId: id });
    expect(await followRedirect(admin, sv)).toContain("flash återaktiverad.");
  });

  it("a refusal shows its message beside the member's row it is about, and nowhere else", async () => {
    const ownerId = String(memberId(server.databasePath, "Acme", "owner@example.com"));
    const response = await admin.post("/admin/members", {
      intent: "remove",
      formId: `member-${ownerId}`,
      memberId: ownerId,
    });
    expect(response.status).toBe(403);
    const html = await response.text();
    const message = "The owner cannot be deactivated, removed or have roles changed by others.";
    expect(rowOf(html, "owner@example.com")).toContain(message);
    expect(rowOf(html, "admin@example.com")).not.toContain(message);
    // Once, in the row (the narrow screens' cards are the same rows), never above the list.
    expect(html.split(message)).toHaveLength(2);
    expect(html.indexOf(message)).toBeGreaterThan(html.indexOf('id="members-heading"'));
  });

  it("refusals of the whole list, or of a member not on this page, show above the list", async () => {
    const ownerId = String(memberId(server.databasePath, "Acme", "owner@example.com"));
    const bulk = await admin.post("/admin/members", {
      intent: "deactivateSelected",
      memberId: ownerId,
      confirmed: "yes",
    });
    expect(bulk.status).toBe(403);
    const html = await bulk.text();
    const message = "The owner cannot be deactivated, removed or have roles changed by others.";
    expect(html.split(message)).toHaveLength(2);
    expect(html.indexOf(message)).toBeLessThan(html.indexOf('id="members-heading"'));

    const elsewhere = await admin.post("/admin/members?q=nobody-matches", { intent: "remove", memberId: ownerId });
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain(message);
  });
});

describe("custom roles", () => {
  it("creates, renames and re-permissions a custom role", async () => {
    const created = await post(admin, "/admin/roles", [
      ["intent", "create"],
      ["name", "HR"],
      ["permission", "activity.view"],
    ]);
    expect(created.status).toBe(302);
    const hr = roleId(server.databasePath, "Acme", "HR");
    const duplicate = await post(admin, "/admin/roles", [
      ["intent", "create"],
      ["name", "hr"],
    ]);
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("A role with that name already exists.");

    const renamed = await post(admin, "/admin/roles", [
      ["intent", "update"],
      ["roleId", String(hr)],
      ["name", "People team"],
      ["permission", "activity.view"],
      ["permission", "members.manage"],
    ]);
    expect(renamed.status).toBe(302);
    const row = withDatabase(server.databasePath, (db) =>
      db.prepare("select name, permissions from roles where id = ?").get(hr),
    );
    expect(row).toEqual({ name: "People team", permissions: '["activity.view","members.manage"]' });
  });

  it("refuses unknown permissions and changes to built-in roles", async () => {
    const bogus = await post(admin, "/admin/roles", [
      ["intent", "create"],
      ["name", "Root"],
      ["permission", "everything"],
    ]);
    expect(bogus.status).toBe(400);
    const admins = String(roleId(server.databasePath, "Acme", "Admin"));
    const builtin = await post(admin, "/admin/roles", [
      ["intent", "update"],
      ["roleId", admins],
      ["name", "Boss"],
    ]);
    expect(builtin.status).toBe(403);
    expect((await admin.post("/admin/roles", { intent: "delete", roleId: admins })).status).toBe(403);
  });

  it("will not delete a role still held without saying where its members go, then moves them", async () => {
    await post(admin, "/admin/roles", [
      ["intent", "create"],
      ["name", "Temp"],
    ]);
    const temp = String(roleId(server.databasePath, "Acme", "Temp"));
    await inviteAndAccept(owner, server.databasePath, "Acme", "erin@example.com", ["Temp"]);

    const refused = await admin.post("/admin/roles", { intent: "delete", roleId: temp });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Members still hold this role");
    expect(rolesOf("erin@example.com")).toEqual(["Temp"]);

    const members = String(roleId(server.databasePath, "Acme", "Member"));
    const deleted = await admin.post("/admin/roles", { intent: "delete", roleId: temp, reassignTo: members });
    expect(deleted.status).toBe(302);
    expect(rolesOf("erin@example.com")).toEqual(["Member"]);
  });
});

describe("organizations", () => {
  it("lets a member create another organization, switch between them, and scopes every page to the current one", async () => {
    const frank = await inviteAndAccept(owner, server.databasePath, "Acme", "frank@example.com", ["Member"]);
    expect((await frank.get("/admin/members")).status).toBe(403);
    expect((await frank.post("/orgs/new", { orgName: "Frank's Club" })).status).toBe(302);
    const home = await (await frank.get("/")).text();
    expect(home).toContain("Frank&#x27;s Club");
    const members = await (await frank.get("/admin/members")).text();
    expect(members).toContain("frank@example.com");
    expect(members).not.toContain("owner@example.com");

    const acmeId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from organizations where name = 'Acme'").pluck().get(),
    );
    expect((await frank.post("/orgs/switch", { organizationId: String(acmeId) })).status).toBe(302);
    expect(await (await frank.get("/")).text()).toContain("Acme");
    expect((await frank.get("/admin/members")).status).toBe(403);
  });

  it("refuses to switch to an organization the user is not an active member of", async () => {
    const outsider = await signIn(server.url, "admin@example.com", "a long password");
    const clubId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from organizations where name = ?").pluck().get("Frank's Club"),
    );
    const response = await outsider.post("/orgs/switch", { organizationId: String(clubId) });
    expect(response.status).toBe(403);
    expect(await (await outsider.get("/")).text()).toContain("Acme");
  });

  it("validates the new organization's name", async () => {
    const response = await admin.post("/orgs/new", { orgName: "x".repeat(101) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Use at most 100 characters.");
  });
});

describe("directory", () => {
  it("shows active members' names and roles to every member, without emails", async () => {
    const gina = await inviteAndAccept(owner, server.databasePath, "Acme", "gina@example.com", ["Member"]);
    const html = await (await gina.get("/directory")).text();
    expect(html).toContain("Olivia Owner");
    expect(html).toContain("gina");
    expect(html).not.toContain("owner@example.com");
  });
});

describe("nobody hands out access they do not have", () => {
  it("a manage-only member cannot give anyone (themselves included) a role with permissions they lack", async () => {
    await post(owner, "/admin/roles", [
      ["intent", "create"],
      ["name", "Managers"],
      ["permission", "members.manage"],
    ]);
    const manager = await inviteAndAccept(owner, server.databasePath, "Acme", "manager@example.com", ["Managers"]);
    const self = String(memberId(server.databasePath, "Acme", "manager@example.com"));
    const admins = String(roleId(server.databasePath, "Acme", "Admin"));
    const managers = String(roleId(server.databasePath, "Acme", "Managers"));
    const members = String(roleId(server.databasePath, "Acme", "Member"));

    const promote = await post(manager, "/admin/members", [
      ["intent", "setRoles"],
      ["memberId", self],
      ["roleId", admins],
    ]);
    expect(promote.status).toBe(403);
    expect(await promote.text()).toContain("You can only give roles whose permissions you hold yourself.");
    expect(rolesOf("manager@example.com")).toEqual(["Managers"]);

    const viewer = await post(manager, "/admin/roles", [
      ["intent", "create"],
      ["name", "Peek"],
      ["permission", "activity.view"],
    ]);
    expect(viewer.status).toBe(403);
    const widen = await post(manager, "/admin/roles", [
      ["intent", "update"],
      ["roleId", managers],
      ["name", "Managers"],
      ["permission", "members.manage"],
      ["permission", "activity.view"],
    ]);
    expect(widen.status).toBe(403);
    const inviteAdmin = await post(manager, "/admin/members", [
      ["intent", "invite"],
      ["email", "friend@example.com"],
      ["roleId", admins],
    ]);
    expect(inviteAdmin.status).toBe(403);
    const demote = await post(manager, "/admin/members", [
      ["intent", "setRoles"],
      ["memberId", String(memberId(server.databasePath, "Acme", "admin@example.com"))],
      ["roleId", members],
    ]);
    expect(demote.status).toBe(403);
    expect(rolesOf("admin@example.com")).toEqual(["Admin"]);

    // Within their own permissions they can still manage: a plain Member invitation works.
    const invitePlain = await post(manager, "/admin/members", [
      ["intent", "invite"],
      ["email", "friend@example.com"],
      ["roleId", members],
    ]);
    expect(invitePlain.status).toBe(302);
  });

  it("shows a custom role's validation errors next to its name, keeping the stored name", async () => {
    await post(owner, "/admin/roles", [
      ["intent", "create"],
      ["name", "Editors"],
    ]);
    const editors = String(roleId(server.databasePath, "Acme", "Editors"));
    const response = await post(owner, "/admin/roles", [
      ["intent", "update"],
      ["roleId", editors],
      ["name", ""],
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This field is required.");
    expect(roleId(server.databasePath, "Acme", "Editors")).toBe(Number(editors));
  });
});

describe("password change", () => {
  it("signs the user out everywhere else, keeping this session", async () => {
    const here = await inviteAndAccept(owner, server.databasePath, "Acme", "henry@example.com", ["Member"]);
    const elsewhere = await signIn(server.url, "henry@example.com", "a long password");
    const response = await here.post("/settings/profile", {
      intent: "password",
      currentPassword: "a long password",
      newPassword: "an even longer password",
    });
    expect(response.status).toBe(302);
    const page = await here.get(response.headers.get("Location") ?? "/settings/profile");
    expect(await page.text()).toContain("You were signed out everywhere else.");
    expect((await here.get("/")).status).toBe(200);
    expect((await elsewhere.get("/")).status).toBe(302);
    await signIn(server.url, "henry@example.com", "an even longer password");
  });
});
