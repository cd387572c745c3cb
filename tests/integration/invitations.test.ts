import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization, signIn } from "../support/client";
import { withDatabase } from "../support/db";
import { acceptAsNewUser, followRedirect, invitationLinkOn, invite, memberId, roleId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;
let memberRole: number;
beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
  memberRole = roleId(server.databasePath, "Acme", "Member");
});
afterAll(async () => {
  await server.stop();
});

const memberRow = (email: string) =>
  withDatabase(server.databasePath, (db) =>
    db
      .prepare(
        "select m.joined_at, m.deactivated_at, u.password_hash from members m join users u on u.id = m.user_id where u.email = ?",
      )
      .get(email),
  ) as { joined_at: number | null; deactivated_at: number | null; password_hash: string | null } | undefined;

describe("invitations", () => {
  it("creates the member at once as invited, who cannot sign in before accepting", async () => {
    await invite(owner, "new@example.com", [memberRole]);
    expect(memberRow("new@example.com")).toEqual({ joined_at: null, deactivated_at: null, password_hash: null });
    const html = await (await owner.get("/admin/members")).text();
    expect(html).toContain("new@example.com");
    expect(html).toContain("Invited");
    expect(html).toContain("Pending invitations");
    // The one-time link showed once, on the page the invitation redirected to; a refresh does not show it again.
    expect(invitationLinkOn(html)).toBeUndefined();
    const login = await new Client(server.url).post("/login", {
      email: "new@example.com",
      password: "anything at all",
    });
    expect(login.status).toBe(400);
  });

  it("stores only the token's hash", async () => {
    const path = await invite(owner, "hash@example.com", [memberRole]);
    const token = path.split("/").pop() ?? "";
    const hashes = withDatabase(server.databasePath, (db) =>
      db.prepare("select token_hash from invitations").pluck().all(),
    );
    expect(hashes).not.toContain(token);
  });

  it("lets a new user set name and password, join, and land on the home page — once", async () => {
    const path = await invite(owner, "ada@example.com", [memberRole]);
    const page = await new Client(server.url).get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Join Acme");

    const invalid = await new Client(server.url).post(path, {
      intent: "verify",
      code: "",
      name: "",
      password: "short",
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("Use at least 8 characters.");
    expect(memberRow("ada@example.com")?.joined_at).toBeNull();

    const ada = await acceptAsNewUser(server, path, "Ada Lovelace", "analytical engine");
    const home = await ada.get("/");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Signed in as Ada Lovelace");
    expect(memberRow("ada@example.com")?.joined_at).toEqual(expect.any(Number));

    const again = await new Client(server.url).get(path);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Invitation already used");
    expect((await new Client(server.url).post(path, { name: "Eve", password: "evil password" })).status).toBe(410);
    await signIn(server.url, "ada@example.com", "analytical engine");
  });

  it("answers unknown and expired links with a clear page, not a 500", async () => {
    const unknown = await new Client(server.url).get("/invite/not-a-real-token");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Invitation not found");

    const path = await invite(owner, "late@example.com", [memberRole]);
    withDatabase(server.databasePath, (db) =>
      db.prepare("update invitations set expires_at = ? where email = ?").run(Date.now() - 1, "late@example.com"),
    );
    const expired = await new Client(server.url).get(`${path}?lng=sv`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("Inbjudan har gått ut");
    expect((await new Client(server.url).post(path, { name: "Late", password: "late password" })).status).toBe(410);
  });

  it("says so when the person is already a member or already invited", async () => {
    const body = new URLSearchParams({ intent: "invite", email: "OWNER@example.com", roleId: String(memberRole) });
    const response = await owner.request("/admin/members", { method: "POST", body });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("This person is already a member of the organization.");

    await invite(owner, "twice@example.com", [memberRole]);
    const again = await owner.request("/admin/members", {
      method: "POST",
      body: new URLSearchParams({ intent: "invite", email: "twice@example.com", roleId: String(memberRole) }),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already invited");
  });

  it("requires at least one role and a valid email", async () => {
    const noRole = await owner.request("/admin/members", {
      method: "POST",
      body: new URLSearchParams({ intent: "invite", email: "norole@example.com" }),
    });
    expect(noRole.status).toBe(400);
    expect(await noRole.text()).toContain("Choose at least one role.");
    const badEmail = await owner.post("/admin/members", {
      intent: "invite",
      email: "<script>",
      roleId: String(memberRole),
    });
    expect(badEmail.status).toBe(400);
    expect(memberRow("norole@example.com")).toBeUndefined();
  });

  it("revoking removes the invited member, and the link stops working", async () => {
    const path = await invite(owner, "revoked@example.com", [memberRole]);
    const invitationId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from invitations where email = ?").pluck().get("revoked@example.com"),
    );
    const response = await owner.post("/admin/members", {
      intent: "revokeInvitation",
      invitationId: String(invitationId),
    });
    expect(await followRedirect(owner, response)).toContain("Invitation for revoked@example.com revoked.");
    expect(memberRow("revoked@example.com")).toBeUndefined();
    expect((await new Client(server.url).get(path)).status).toBe(404);
  });

  it("a new link replaces the old one and restarts the 7 days", async () => {
    const oldPath = await invite(owner, "renew@example.com", [memberRole]);
    const invitationId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from invitations where email = ?").pluck().get("renew@example.com"),
    );
    const response = await owner.post("/admin/members", {
      intent: "renewInvitation",
      invitationId: String(invitationId),
    });
    const newPath = new URL(invitationLinkOn(await followRedirect(owner, response)) ?? "").pathname;
    expect(newPath).not.toBe(oldPath);
    expect((await new Client(server.url).get(oldPath)).status).toBe(404);
    expect((await new Client(server.url).get(newPath)).status).toBe(200);
  });

  it("an existing user signs in with their password to join a second organization", async () => {
    const other = await signIn(server.url, "owner@example.com", "correct horse battery");
    await other.post("/orgs/new", { orgName: "Beta" });
    const betaMember = roleId(server.databasePath, "Beta", "Member");
    const path = await invite(other, "ada@example.com", [betaMember]);

    const anonymous = new Client(server.url);
    expect(await (await anonymous.get(path)).text()).toContain("Log in with your Roster password");
    const wrong = await anonymous.post(path, { intent: "password", password: "not it" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("The password is incorrect, or this address has no Roster account yet.");
    const joined = await anonymous.post(path, { intent: "password", password: "analytical engine" });
    expect(joined.status).toBe(302);
    const home = await (await anonymous.get("/")).text();
    expect(home).toContain("Beta");
    expect(memberId(server.databasePath, "Beta", "ada@example.com")).toBeGreaterThan(0);
  });
});

describe("invitations and existing accounts", () => {
  it("a pending invitation does not let its user into that organization before accepting", async () => {
    const betaOwner = await signIn(server.url, "owner@example.com", "correct horse battery");
    await betaOwner.post("/orgs/new", { orgName: "Gamma" });
    await invite(betaOwner, "ada@example.com", [roleId(server.databasePath, "Gamma", "Member")]);
    const ada = await signIn(server.url, "ada@example.com", "analytical engine");
    expect(await (await ada.get("/")).text()).not.toContain("Gamma");
    const gammaId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from organizations where name = 'Gamma'").pluck().get(),
    );
    expect((await ada.post("/orgs/switch", { organizationId: String(gammaId) })).status).toBe(403);
  });

  it("tells someone signed in as another user to log out first", async () => {
    await acceptAsNewUser(server, await invite(owner, "third@example.com", [memberRole]), "Third", "third password");
    await acceptAsNewUser(server, await invite(owner, "other@example.com", [memberRole]), "Other", "other password");
    const beta = await signIn(server.url, "owner@example.com", "correct horse battery");
    const betaId = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from organizations where name = 'Beta'").pluck().get(),
    );
    await beta.post("/orgs/switch", { organizationId: String(betaId) });
    const link = await invite(beta, "third@example.com", [roleId(server.databasePath, "Beta", "Member")]);

    const wrongUser = await signIn(server.url, "other@example.com", "other password");
    expect(await (await wrongUser.get(link)).text()).toContain("You are signed in as someone else.");
    const refused = await wrongUser.post(link, { password: "other password" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Signed in as someone else");
    expect(memberRow("third@example.com")?.joined_at).not.toBeNull();
    const pending = withDatabase(server.databasePath, (db) =>
      db
        .prepare("select accepted_at from invitations where email = 'third@example.com' order by id desc")
        .pluck()
        .get(),
    );
    expect(pending).toBeNull();
  });
});

describe("many pending invitations", () => {
  it("the members page lists the first 20 to expire and says how many are pending; any of them can be revoked", async () => {
    const crowd = await startServer();
    try {
      const admin = await setUpOrganization(crowd.url);
      const role = roleId(crowd.databasePath, "Acme", "Member");
      for (let index = 0; index < 25; index++) await invite(admin, `guest${index}@example.com`, [role]);
      const html = await (await admin.get("/admin/members")).text();
      const listed = [...html.matchAll(/<tr><td>(guest\d+@example\.com)<\/td>/g)].map((m) => m[1]);
      expect(listed).toEqual(Array.from({ length: 20 }, (_, index) => `guest${index}@example.com`));
      expect(html).toContain("The first 20 to expire of 25 pending invitations.");

      // The last one, not on the page, is revoked by id like any other, and the message names it.
      const lastId = withDatabase(crowd.databasePath, (db) =>
        db.prepare("select id from invitations where email = ?").pluck().get("guest24@example.com"),
      );
      const response = await admin.post("/admin/members", { intent: "revokeInvitation", invitationId: String(lastId) });
      expect(await followRedirect(admin, response)).toContain("Invitation for guest24@example.com revoked.");
      expect(await (await admin.get("/admin/members")).text()).toContain(
        "The first 20 to expire of 24 pending invitations.",
      );
    } finally {
      await crowd.stop();
    }
  });
});
