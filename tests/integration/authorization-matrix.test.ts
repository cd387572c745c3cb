// Every route and action × every kind of visitor: the status they get, and that refused requests change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { inviteAndAccept, memberId, roleId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

type Persona =
  | "anonymous"
  | "member"
  | "activityOnly"
  | "manager"
  | "admin"
  | "owner"
  | "deactivated"
  | "otherOrgAdmin";
const PERSONAS: Persona[] = [
  "anonymous",
  "member",
  "activityOnly",
  "manager",
  "admin",
  "owner",
  "deactivated",
  "otherOrgAdmin",
];

let server: TestServer;
const clients = {} as Record<Persona, Client>;
let ids: { target: number; otherOrgMember: number; otherOrgRole: number; acmeRole: number; otherOrg: number };

beforeAll(async () => {
  server = await startServer();
  const db = server.databasePath;
  clients.anonymous = new Client(server.url);
  clients.owner = await setUpOrganization(server.url);
  await clients.owner.post("/admin/roles", { intent: "create", name: "HR", permission: "activity.view" });
  await clients.owner.post("/admin/roles", { intent: "create", name: "Managers", permission: "members.manage" });
  clients.member = await inviteAndAccept(clients.owner, db, "Acme", "member@example.com", ["Member"]);
  clients.activityOnly = await inviteAndAccept(clients.owner, db, "Acme", "hr@example.com", ["HR"]);
  clients.manager = await inviteAndAccept(clients.owner, db, "Acme", "manager@example.com", ["Managers"]);
  clients.admin = await inviteAndAccept(clients.owner, db, "Acme", "admin@example.com", ["Admin"]);
  clients.deactivated = await inviteAndAccept(clients.owner, db, "Acme", "gone@example.com", ["Member"]);
  await inviteAndAccept(clients.owner, db, "Acme", "target@example.com", ["Member"]);
  await clients.owner.post("/admin/members", {
    intent: "deactivate",
    memberId: String(memberId(db, "Acme", "gone@example.com")),
  });

  // An admin of another organization (its owner), whose session's current organization is that one.
  clients.otherOrgAdmin = await inviteAndAccept(clients.owner, db, "Acme", "rival@example.com", ["Member"]);
  await clients.otherOrgAdmin.post("/orgs/new", { orgName: "Rival" });
  await inviteAndAccept(clients.otherOrgAdmin, db, "Rival", "rival-member@example.com", ["Member"]);

  ids = {
    target: memberId(db, "Acme", "target@example.com"),
    otherOrgMember: memberId(db, "Rival", "rival-member@example.com"),
    otherOrgRole: roleId(db, "Rival", "Member"),
    acmeRole: roleId(db, "Acme", "HR"),
    otherOrg: withDatabase(
      db,
      (d) => d.prepare("select id from organizations where name = 'Rival'").pluck().get() as number,
    ),
  };
});
afterAll(async () => {
  await server.stop();
});

/** A fingerprint of everything member management can change, its audit log included. */
function snapshot() {
  return withDatabase(server.databasePath, (db) =>
    ["members", "member_roles", "roles", "invitations", "organizations", "users", "audit_events"].map((table) =>
      db.prepare(`select * from ${table} order by 1, 2`).all(),
    ),
  );
}

const LOGIN = "login";
// Expected status per persona; LOGIN = redirect to /login. The otherOrgAdmin sees their own organization (Rival).
const pages: [string, Record<Persona, number | typeof LOGIN>][] = [
  [
    "/",
    {
      anonymous: LOGIN,
      member: 200,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/directory",
    {
      anonymous: LOGIN,
      member: 200,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/settings/profile",
    {
      anonymous: LOGIN,
      member: 200,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/admin/members",
    {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/admin/roles",
    {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 403,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/admin/settings",
    {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 403,
      manager: 403,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/admin/members.csv",
    {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 200,
      manager: 403,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/api/org/members-with-roles",
    {
      anonymous: 401,
      member: 403,
      activityOnly: 200,
      manager: 403,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/admin/audit",
    {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 403,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/admin/audit.csv",
    {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 403,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/orgs/new",
    {
      anonymous: LOGIN,
      member: 200,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 200,
      otherOrgAdmin: 200,
    },
  ],
  [
    "/setup",
    {
      anonymous: 404,
      member: 404,
      activityOnly: 404,
      manager: 404,
      admin: 404,
      owner: 404,
      deactivated: 404,
      otherOrgAdmin: 404,
    },
  ],
  [
    "/healthz",
    {
      anonymous: 200,
      member: 200,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 200,
      otherOrgAdmin: 200,
    },
  ],
];

function expectStatus(response: Response, expected: number | typeof LOGIN, label: string) {
  if (expected === LOGIN) {
    expect(response.status, label).toBe(302);
    expect(response.headers.get("location"), label).toMatch(/^\/login\?redirectTo=/);
  } else {
    expect(response.status, label).toBe(expected);
  }
}

describe("pages × personas", () => {
  for (const [path, expected] of pages) {
    it(`GET ${path}`, async () => {
      for (const persona of PERSONAS) {
        expectStatus(await clients[persona].get(path), expected[persona], `${persona} GET ${path}`);
      }
    });
  }

  it("GET /admin/members/:id (an Acme member; another organization's admin gets 404, as for any unknown id)", async () => {
    const expected: Record<Persona, number | typeof LOGIN> = {
      anonymous: LOGIN,
      member: 403,
      activityOnly: 200,
      manager: 200,
      admin: 200,
      owner: 200,
      deactivated: 403,
      otherOrgAdmin: 404,
    };
    for (const persona of PERSONAS) {
      const path = `/admin/members/${ids.target}`;
      expectStatus(await clients[persona].get(path), expected[persona], `${persona} GET ${path}`);
    }
  });

  it("never shows another organization's members in pages, CSV or API", async () => {
    for (const path of [
      "/admin/members",
      "/admin/members.csv",
      "/api/org/members-with-roles",
      "/directory",
      "/admin/audit",
      "/admin/audit.csv",
    ]) {
      const body = await (await clients.otherOrgAdmin.get(path)).text();
      expect(body, path).toContain("rival-member");
      expect(body, path).not.toContain("target@example.com");
      expect(body, path).not.toContain("owner@example.com");
    }
  });

  it("shows the activity-only role the members page read-only", async () => {
    const html = await (await clients.activityOnly.get("/admin/members")).text();
    expect(html).toContain("You can view this page but not change anything.");
    expect(html).not.toContain('name="intent"');
    expect(html).not.toContain("Invite a member");
  });
});

// Management actions on a member of Acme, by id. Refused ones must change nothing.
const actions: [string, () => Record<string, string>][] = [
  ["invite", () => ({ intent: "invite", email: "new-person@example.com", roleId: String(ids.acmeRole) })],
  ["setRoles", () => ({ intent: "setRoles", memberId: String(ids.target), roleId: String(ids.acmeRole) })],
  ["deactivate", () => ({ intent: "deactivate", memberId: String(ids.target) })],
  ["remove", () => ({ intent: "remove", memberId: String(ids.target) })],
];
const mayManage: Record<Exclude<Persona, "manager">, number | typeof LOGIN> = {
  anonymous: LOGIN,
  member: 403,
  activityOnly: 403,
  admin: 0,
  owner: 0,
  deactivated: 403,
  otherOrgAdmin: 404,
};

describe("member actions × personas", () => {
  for (const [name, fields] of actions) {
    it(`POST /admin/members ${name} is refused, changing nothing, for everyone without members.manage in Acme`, async () => {
      for (const persona of PERSONAS) {
        if (persona === "manager") continue;
        const expected = mayManage[persona];
        if (expected === 0) continue;
        // The rival admin's current organization is Rival: Acme's ids are not theirs, and the invite lands in Rival.
        if (persona === "otherOrgAdmin" && name === "invite") continue;
        const before = snapshot();
        expectStatus(await clients[persona].post("/admin/members", fields()), expected, `${persona} ${name}`);
        expect(snapshot(), `${persona} ${name} changed data`).toEqual(before);
      }
    });
  }

  it("POST /admin/members/:id is refused, changing nothing, for everyone without members.manage in Acme", async () => {
    for (const persona of PERSONAS) {
      const expected = mayManage[persona as Exclude<Persona, "manager">];
      if (persona === "manager" || expected === 0) continue;
      for (const intent of ["deactivate", "remove"]) {
        const before = snapshot();
        const path = `/admin/members/${ids.target}`;
        const response = await clients[persona].post(path, { intent, memberId: String(ids.target) });
        expectStatus(response, expected, `${persona} ${intent} on the member page`);
        expect(snapshot(), `${persona} ${intent} on the member page changed data`).toEqual(before);
      }
    }
  });

  it("an admin of another organization cannot use Acme's role ids either", async () => {
    const before = snapshot();
    const response = await clients.otherOrgAdmin.post("/admin/members", {
      intent: "setRoles",
      memberId: String(ids.otherOrgMember),
      roleId: String(ids.acmeRole),
    });
    expect(response.status).toBe(400);
    expect(snapshot()).toEqual(before);
  });

  it("an Acme admin cannot act on members or roles of another organization by id", async () => {
    const before = snapshot();
    for (const fields of [
      { intent: "deactivate", memberId: String(ids.otherOrgMember) },
      { intent: "remove", memberId: String(ids.otherOrgMember) },
      { intent: "reactivate", memberId: String(ids.otherOrgMember) },
    ]) {
      expect((await clients.admin.post("/admin/members", fields)).status).toBe(404);
    }
    expect(
      (
        await clients.admin.post("/admin/members", {
          intent: "setRoles",
          memberId: String(ids.target),
          roleId: String(ids.otherOrgRole),
        })
      ).status,
    ).toBe(400);
    expect(
      (await clients.admin.post("/admin/roles", { intent: "delete", roleId: String(ids.otherOrgRole) })).status,
    ).toBe(404);
    expect(
      (
        await clients.admin.post("/admin/roles", {
          intent: "update",
          roleId: String(ids.otherOrgRole),
          name: "Hijacked",
        })
      ).status,
    ).toBe(404);
    expect((await clients.admin.post("/orgs/switch", { organizationId: String(ids.otherOrg) })).status).toBe(403);
    expect(snapshot()).toEqual(before);
  });

  it("role management is refused for everyone without members.manage", async () => {
    for (const persona of ["anonymous", "member", "activityOnly", "deactivated"] as Persona[]) {
      const before = snapshot();
      const response = await clients[persona].post("/admin/roles", { intent: "create", name: `By ${persona}` });
      expectStatus(response, persona === "anonymous" ? LOGIN : 403, `${persona} create role`);
      expect(snapshot()).toEqual(before);
    }
  });

  it("the dormant-account policy is set only by holders of every permission; refusals change nothing", async () => {
    const policy = { enabled: "on", thresholdDays: "30", graceDays: "7" };
    const policyRows = () =>
      withDatabase(server.databasePath, (db) => [
        db.prepare("select * from dormant_policies").all(),
        db.prepare("select count(*) from audit_events where action = 'policy.changed'").pluck().get(),
      ]);
    for (const persona of ["anonymous", "member", "activityOnly", "manager", "deactivated"] as Persona[]) {
      const before = [snapshot(), policyRows()];
      const response = await clients[persona].post("/admin/settings", policy);
      expectStatus(response, persona === "anonymous" ? LOGIN : 403, `${persona} save policy`);
      expect([snapshot(), policyRows()], `${persona} save policy changed data`).toEqual(before);
    }
    // The rival admin sets their own organization's policy, never Acme's.
    expect((await clients.otherOrgAdmin.post("/admin/settings", policy)).status).toBe(302);
    expect((await clients.admin.post("/admin/settings", { ...policy, enabled: "" })).status).toBe(302);
    const stored = withDatabase(server.databasePath, (db) =>
      db.prepare("select organization_id as organizationId, enabled from dormant_policies order by 1").all(),
    );
    expect(stored).toEqual([
      { organizationId: 1, enabled: 0 },
      { organizationId: ids.otherOrg, enabled: 1 },
    ]);
  });

  it("own-account actions need a signed-in, active member", async () => {
    const before = snapshot();
    for (const [path, fields] of [
      ["/settings/profile", { intent: "name", name: "Hijacker" }],
      ["/orgs/new", { orgName: "Sneaky" }],
      ["/orgs/switch", { organizationId: String(ids.otherOrg) }],
    ] as const) {
      expectStatus(await clients.anonymous.post(path, fields), LOGIN, `anonymous ${path}`);
    }
    expect((await clients.deactivated.post("/settings/profile", { intent: "name", name: "Still here" })).status).toBe(
      403,
    );
    expect(snapshot()).toEqual(before);
  });

  it("a members.manage-only manager cannot give HR's activity.view, by invitation or role change", async () => {
    for (const name of ["invite", "setRoles"]) {
      const before = snapshot();
      const fields = actions.find(([action]) => action === name)?.[1]() ?? {};
      expect((await clients.manager.post("/admin/members", fields)).status, `manager ${name}`).toBe(403);
      expect(snapshot(), `manager ${name} changed data`).toEqual(before);
    }
  });

  it("a manager cannot act on an admin, who holds more (tests/integration/authority.test.ts has every case)", async () => {
    const admin = memberId(server.databasePath, "Acme", "admin@example.com");
    for (const intent of ["deactivate", "remove", "reactivate"]) {
      const before = snapshot();
      expect((await clients.manager.post("/admin/members", { intent, memberId: String(admin) })).status).toBe(403);
      expect(snapshot(), `manager ${intent} admin changed data`).toEqual(before);
    }
  });

  it("admins and the owner can act (positive control for the refusals above)", async () => {
    const response = await clients.admin.post("/admin/members", actions[1]?.[1]() ?? {});
    expect(response.status).toBe(302);
  });
});
