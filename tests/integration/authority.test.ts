// The authority rule over HTTP: a manager without activity.view can neither gain Admin, take over an Admin's
// invitation, nor act on anyone holding more than they do; each refusal is a translated 403 that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { acceptAsNewUser, invite, inviteAndAccept, memberId, roleId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;
let manager: Client;
let ids: Record<"admin" | "member" | "mixed" | "managers" | "viewers" | "helpers" | "adminRole" | "memberRole", number>;

beforeAll(async () => {
  server = await startServer();
  const db = server.databasePath;
  owner = await setUpOrganization(server.url);
  for (const [name, permission] of [
    ["Managers", "members.manage"],
    ["Viewers", "activity.view"],
    ["Helpers", "members.manage"],
  ]) {
    await owner.post("/admin/roles", { intent: "create", name: name as string, permission: permission as string });
  }
  manager = await inviteAndAccept(owner, db, "Acme", "manager@example.com", ["Managers"]);
  await inviteAndAccept(owner, db, "Acme", "admin@example.com", ["Admin"]);
  await inviteAndAccept(owner, db, "Acme", "member@example.com", ["Member"]);
  // Holds members.manage through Helpers and activity.view through Viewers: more than the manager.
  await inviteAndAccept(owner, db, "Acme", "mixed@example.com", ["Helpers", "Viewers"]);
  ids = {
    admin: memberId(db, "Acme", "admin@example.com"),
    member: memberId(db, "Acme", "member@example.com"),
    mixed: memberId(db, "Acme", "mixed@example.com"),
    managers: roleId(db, "Acme", "Managers"),
    viewers: roleId(db, "Acme", "Viewers"),
    helpers: roleId(db, "Acme", "Helpers"),
    adminRole: roleId(db, "Acme", "Admin"),
    memberRole: roleId(db, "Acme", "Member"),
  };
});
afterAll(async () => {
  await server.stop();
});

function snapshot() {
  return withDatabase(server.databasePath, (db) =>
    ["members", "member_roles", "roles", "invitations", "users", "sessions"].map((table) =>
      db.prepare(`select * from ${table} order by 1, 2`).all(),
    ),
  );
}

/** Posts as the manager and expects a 403 that changed nothing, with the translated reason on the page. */
async function expectRefused(path: string, fields: Record<string, string>, message: RegExp) {
  const before = snapshot();
  const response = await manager.post(path, fields);
  const html = await response.text();
  expect(response.status, `${fields.intent}: ${html.slice(0, 200)}`).toBe(403);
  expect(html).toMatch(message);
  expect(snapshot(), `${fields.intent} changed data`).toEqual(before);
}

const OUTRANKED = /has access you do not have|have access you do not have/;
const CANNOT_GRANT = /permissions you hold yourself/;

describe("finding 1: a members.manage-only role cannot reach Admin", () => {
  it("deleting its own role with reassignment to Admin is refused", async () => {
    await expectRefused(
      "/admin/roles",
      { intent: "delete", roleId: String(ids.managers), reassignTo: String(ids.adminRole) },
      CANNOT_GRANT,
    );
  });

  it("creating a role, taking it and deleting it into Admin is refused at the last step", async () => {
    expect((await manager.post("/admin/roles", { intent: "create", name: "Stepping stone" })).status).toBe(302);
    const stone = roleId(server.databasePath, "Acme", "Stepping stone");
    const self = memberId(server.databasePath, "Acme", "manager@example.com");
    const body = new URLSearchParams({ intent: "setRoles", memberId: String(self) });
    body.append("roleId", String(ids.managers));
    body.append("roleId", String(stone));
    expect((await manager.request("/admin/members", { method: "POST", body })).status).toBe(302);
    await expectRefused(
      "/admin/roles",
      { intent: "delete", roleId: String(stone), reassignTo: String(ids.adminRole) },
      CANNOT_GRANT,
    );
  });

  it("giving oneself (or anyone) Admin or activity.view is refused", async () => {
    const self = memberId(server.databasePath, "Acme", "manager@example.com");
    await expectRefused(
      "/admin/members",
      { intent: "setRoles", memberId: String(self), roleId: String(ids.adminRole) },
      CANNOT_GRANT,
    );
    await expectRefused(
      "/admin/roles",
      { intent: "update", roleId: String(ids.managers), name: "Managers", permission: "activity.view" },
      CANNOT_GRANT,
    );
  });
});

describe("finding 2: no takeover of an invitation to more access", () => {
  it("renewing or revoking the owner's Admin invitation is refused, and the owner's link still works", async () => {
    const link = await invite(owner, "future-admin@example.com", [ids.adminRole]);
    const invitationId = withDatabase(
      server.databasePath,
      (db) => db.prepare("select id from invitations where email = 'future-admin@example.com'").pluck().get() as number,
    );
    const before = snapshot();
    const renew = await manager.post("/admin/members", {
      intent: "renewInvitation",
      invitationId: String(invitationId),
    });
    expect(renew.status).toBe(403);
    expect(await renew.text()).not.toMatch(/\/invite\/[\w-]{20,}/);
    await expectRefused(
      "/admin/members",
      { intent: "revokeInvitation", invitationId: String(invitationId) },
      OUTRANKED,
    );
    expect(snapshot()).toEqual(before);
    await acceptAsNewUser(server, link, "Future Admin", "a long password");
  });

  it("an invitation stops working when its inviter no longer holds what it grants", async () => {
    // The mixed member (manage + view) invites someone as a viewer, then loses activity.view.
    const mixed = await inviteAndAccept(owner, server.databasePath, "Acme", "inviter@example.com", [
      "Helpers",
      "Viewers",
    ]);
    const link = await invite(mixed, "viewer-to-be@example.com", [ids.viewers]);
    const inviter = memberId(server.databasePath, "Acme", "inviter@example.com");
    expect(
      (
        await owner.post("/admin/members", {
          intent: "setRoles",
          memberId: String(inviter),
          roleId: String(ids.helpers),
        })
      ).status,
    ).toBe(302);
    const page = await (await mixed.get(link)).text();
    expect(page).toContain("no longer has the access");
    const response = await acceptAttempt(link);
    expect(response.status).toBe(410);
    const sv = await (await new Client(server.url).get(`${link}?lng=sv`)).text();
    expect(sv).toContain("Inbjudan gäller inte längre");
  });
});

function acceptAttempt(link: string) {
  return new Client(server.url).post(link, { name: "Someone", password: "a long password" });
}

describe("finding 3: no acting on members who hold more", () => {
  it("deactivating, removing or reactivating an Admin is refused", async () => {
    for (const intent of ["deactivate", "remove"]) {
      await expectRefused("/admin/members", { intent, memberId: String(ids.admin) }, OUTRANKED);
    }
    await expectRefused(
      "/admin/members",
      { intent: "deactivateSelected", memberId: String(ids.admin), confirmed: "yes" },
      OUTRANKED,
    );
    expect((await owner.post("/admin/members", { intent: "deactivate", memberId: String(ids.admin) })).status).toBe(
      302,
    );
    await expectRefused("/admin/members", { intent: "reactivate", memberId: String(ids.admin) }, OUTRANKED);
    expect((await owner.post("/admin/members", { intent: "reactivate", memberId: String(ids.admin) })).status).toBe(
      302,
    );
  });

  it("demoting holders of a role by editing or deleting it is refused when they hold more", async () => {
    await expectRefused("/admin/roles", { intent: "update", roleId: String(ids.helpers), name: "Helpers" }, OUTRANKED);
    await expectRefused(
      "/admin/roles",
      { intent: "delete", roleId: String(ids.helpers), reassignTo: String(ids.memberRole) },
      OUTRANKED,
    );
  });

  it("acting within one's own authority still works (positive control)", async () => {
    expect((await manager.post("/admin/members", { intent: "deactivate", memberId: String(ids.member) })).status).toBe(
      302,
    );
    expect((await manager.post("/admin/members", { intent: "reactivate", memberId: String(ids.member) })).status).toBe(
      302,
    );
    const link = await invite(manager, "helper@example.com", [ids.memberRole]);
    expect(link).toMatch(/^\/invite\//);
  });

  it("refusals are translated", async () => {
    const response = await manager.post(
      "/admin/members?lng=sv",
      { intent: "deactivate", memberId: String(ids.admin) },
      { Cookie: `${manager.cookieHeader()}; lng=sv` },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("behörigheter som du saknar");
  });
});
