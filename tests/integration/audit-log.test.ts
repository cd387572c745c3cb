// The audit log over HTTP: every change to membership writes exactly one matching entry per target, in the change's
// transaction; refused requests write none; exports are logged with their filter and no activity values; entries
// cannot be changed; /admin/audit filters, pages and speaks Swedish; its CSV is the filtered log.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { acceptAsNewUser, followRedirect, invite, inviteAndAccept, memberId, roleId } from "../support/members";
import { outboxBeside } from "../support/outbox";
import { startServer, type TestServer } from "../support/server";

interface Entry {
  id: number;
  organizationId: number;
  at: number;
  actorMemberId: number | null;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: number | null;
  targetLabel: string;
  change: Record<string, unknown>;
}

let server: TestServer;
let owner: Client;
let ownerId: number;
let seen = 0;

function entries(where = "1 = 1", ...params: unknown[]): Entry[] {
  return withDatabase(server.databasePath, (db) =>
    (
      db
        .prepare(
          `select id, organization_id as organizationId, at, actor_member_id as actorMemberId, actor_label as actorLabel,
                  action, target_type as targetType, target_id as targetId, target_label as targetLabel, change
           from audit_events where ${where} order by id`,
        )
        .all(...params) as (Omit<Entry, "change"> & { change: string })[]
    ).map((row) => ({ ...row, change: JSON.parse(row.change) })),
  );
}

/** The entries written since the last call. */
function fresh(): Entry[] {
  const rows = entries("id > ?", seen);
  seen = rows.at(-1)?.id ?? seen;
  return rows;
}

function only(rows: Entry[]): Entry {
  expect(rows, JSON.stringify(rows)).toHaveLength(1);
  return rows[0] as Entry;
}

const acme = (email: string) => memberId(server.databasePath, "Acme", email);

async function post(client: Client, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return client.request(path, { method: "POST", body });
}

beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
  ownerId = acme("owner@example.com");
});
afterAll(async () => {
  await server.stop();
});

describe("every change to membership writes one matching entry", () => {
  it("setup: the organization was created by its owner", () => {
    const entry = only(fresh());
    expect(entry).toMatchObject({
      action: "organization.created",
      actorMemberId: ownerId,
      actorLabel: "Olivia Owner <owner@example.com>",
      targetType: "organization",
      targetLabel: "Acme",
      change: { name: { before: null, after: "Acme" } },
    });
  });

  it("roles: created, edited (only when something changed)", async () => {
    expect(
      (await post(owner, "/admin/roles", { intent: "create", name: "HR", permission: "activity.view" })).status,
    ).toBe(302);
    const hr = roleId(server.databasePath, "Acme", "HR");
    expect(only(fresh())).toMatchObject({
      action: "role.created",
      actorMemberId: ownerId,
      targetType: "role",
      targetId: hr,
      targetLabel: "HR",
      change: { name: { before: null, after: "HR" }, permissions: { before: [], after: ["activity.view"] } },
    });
    await post(owner, "/admin/roles", {
      intent: "update",
      roleId: String(hr),
      name: "People",
      permission: ["activity.view", "members.manage"],
    });
    expect(only(fresh())).toMatchObject({
      action: "role.edited",
      targetId: hr,
      targetLabel: "People",
      change: {
        name: { before: "HR", after: "People" },
        permissions: { before: ["activity.view"], after: ["activity.view", "members.manage"] },
      },
    });
    await post(owner, "/admin/roles", {
      intent: "update",
      roleId: String(hr),
      name: "People",
      permission: ["members.manage", "activity.view"],
    });
    expect(fresh()).toEqual([]);
  });

  it("invitations: invited, renewed, revoked, accepted (by the member themselves)", async () => {
    const memberRole = roleId(server.databasePath, "Acme", "Member");
    await invite(owner, "ada@example.com", [memberRole]);
    const ada = acme("ada@example.com");
    expect(only(fresh())).toMatchObject({
      action: "member.invited",
      actorMemberId: ownerId,
      targetType: "member",
      targetId: ada,
      targetLabel: "ada@example.com",
      change: { status: { before: null, after: "invited" }, roles: { before: [], after: ["Member"] } },
    });
    const invitationId = only(entries("target_id = ? and action = 'member.invited'", ada)).change.invitation as number;
    expect(
      (await post(owner, "/admin/members", { intent: "renewInvitation", invitationId: String(invitationId) })).status,
    ).toBe(302);
    const renewed = only(fresh());
    expect(renewed).toMatchObject({
      action: "invitation.renewed",
      targetId: ada,
      change: { invitation: invitationId },
    });
    expect(renewed.change.expiresAt).toMatchObject({ after: expect.any(Number) });

    await invite(owner, "bob@example.com", [memberRole]);
    const bob = acme("bob@example.com");
    const bobInvitation = only(fresh()).change.invitation as number;
    await post(owner, "/admin/members", { intent: "revokeInvitation", invitationId: String(bobInvitation) });
    expect(only(fresh())).toMatchObject({
      action: "invitation.revoked",
      targetId: bob,
      targetLabel: "bob@example.com",
      change: { status: { before: "invited", after: "removed" }, roles: { before: ["Member"], after: [] } },
    });

    const outbox = { url: server.url, outboxDir: outboxBeside(server.databasePath) };
    const link = await renewLink(invitationId);
    await acceptAsNewUser(outbox, link, "Ada Lovelace", "a long password");
    expect(only(fresh())).toMatchObject({
      action: "invitation.accepted",
      actorMemberId: ada,
      actorLabel: "Ada Lovelace <ada@example.com>",
      targetId: ada,
      targetLabel: "Ada Lovelace <ada@example.com>",
      change: { status: { before: "invited", after: "active" } },
    });
  });

  it("roles changed: before → after role names and permissions; the same roles again write nothing", async () => {
    const ada = acme("ada@example.com");
    const admin = String(roleId(server.databasePath, "Acme", "Admin"));
    expect(
      (await post(owner, "/admin/members", { intent: "setRoles", memberId: String(ada), roleId: admin })).status,
    ).toBe(302);
    expect(only(fresh())).toMatchObject({
      action: "member.roles_changed",
      actorMemberId: ownerId,
      targetId: ada,
      change: {
        roles: { before: ["Member"], after: ["Admin"] },
        permissions: { before: [], after: ["activity.view", "members.manage"] },
      },
    });
    await post(owner, "/admin/members", { intent: "setRoles", memberId: String(ada), roleId: admin });
    expect(fresh()).toEqual([]);
  });

  it("deactivated (one, selected, all dormant), reactivated, removed; one entry per member actually changed", async () => {
    const people = ["cy", "di", "ed", "fay"];
    for (const name of people)
      await inviteAndAccept(owner, server.databasePath, "Acme", `${name}@example.com`, ["Member"]);
    fresh();
    const [cy, di, ed, fay] = people.map((name) => acme(`${name}@example.com`)) as [number, number, number, number];

    await post(owner, "/admin/members", { intent: "deactivate", memberId: String(cy) });
    expect(only(fresh())).toMatchObject({
      action: "member.deactivated",
      targetId: cy,
      targetLabel: "cy <cy@example.com>",
      change: { status: { before: "active", after: "deactivated" }, kind: "one" },
    });
    // Already deactivated: nothing changes, nothing is written.
    await post(owner, "/admin/members", { intent: "deactivate", memberId: String(cy) });
    expect(fresh()).toEqual([]);

    await post(owner, "/admin/members", { intent: "reactivate", memberId: String(cy) });
    expect(only(fresh())).toMatchObject({
      action: "member.reactivated",
      targetId: cy,
      change: { status: { before: "deactivated", after: "active" } },
    });

    // Asked first (nothing written), then confirmed: one entry per member, one time for all.
    const selected = { intent: "deactivateSelected", memberId: [String(cy), String(di)] };
    expect((await post(owner, "/admin/members", selected)).status).toBe(200);
    expect(fresh()).toEqual([]);
    await post(owner, "/admin/members", { ...selected, confirmed: "yes" });
    const bulk = fresh();
    expect(bulk.map((entry) => [entry.action, entry.targetId, entry.change.kind])).toEqual([
      ["member.deactivated", cy, "selected"],
      ["member.deactivated", di, "selected"],
    ]);
    expect(bulk[0]?.at).toBe(bulk[1]?.at);

    // Ed and Fay were last active 200 days ago: "all inactive 90+ days" catches them, and says so, but not when.
    const longAgo = Date.now() - 200 * 86_400_000;
    withDatabase(server.databasePath, (db) =>
      db.prepare("update members set last_active_at = ? where id in (?, ?)").run(longAgo, ed, fay),
    );
    await post(owner, "/admin/members", { intent: "deactivateDormant", asOf: String(Date.now()), confirmed: "yes" });
    const dormant = fresh();
    expect(dormant.map((entry) => [entry.action, entry.targetId, entry.change.kind])).toEqual([
      ["member.deactivated", ed, "dormant"],
      ["member.deactivated", fay, "dormant"],
    ]);
    expect(JSON.stringify(dormant)).not.toContain(String(longAgo));

    await post(owner, "/admin/members", { intent: "remove", memberId: String(fay) });
    expect(only(fresh())).toMatchObject({
      action: "member.removed",
      targetId: fay,
      targetLabel: "fay <fay@example.com>",
      change: { status: { before: "deactivated", after: "removed" }, roles: { before: ["Member"], after: [] } },
    });
    // The entry outlives the member it names.
    expect(entries("target_id = ?", fay).length).toBeGreaterThan(1);
  });

  it("role deleted with reassignment: who held it moved to which role", async () => {
    await post(owner, "/admin/roles", { intent: "create", name: "Volunteers" });
    const volunteers = roleId(server.databasePath, "Acme", "Volunteers");
    const memberRole = roleId(server.databasePath, "Acme", "Member");
    const di = acme("di@example.com");
    await post(owner, "/admin/members", { intent: "setRoles", memberId: String(di), roleId: String(volunteers) });
    fresh();
    await post(owner, "/admin/roles", { intent: "delete", roleId: String(volunteers), reassignTo: String(memberRole) });
    expect(only(fresh())).toMatchObject({
      action: "role.deleted",
      targetType: "role",
      targetId: volunteers,
      targetLabel: "Volunteers",
      change: {
        name: { before: "Volunteers", after: null },
        holders: 1,
        reassignedTo: { id: memberRole, name: "Member" },
      },
    });
  });

  it("refused requests write nothing: a manager acting on an admin, bad input, no permission", async () => {
    await post(owner, "/admin/roles", { intent: "create", name: "Managers", permission: "members.manage" });
    const manager = await inviteAndAccept(owner, server.databasePath, "Acme", "manager@example.com", ["Managers"]);
    const plain = await inviteAndAccept(owner, server.databasePath, "Acme", "plain@example.com", ["Member"]);
    fresh();
    const ada = String(acme("ada@example.com"));
    const admin = String(roleId(server.databasePath, "Acme", "Admin"));
    const refused: [Client, string, Record<string, string | string[]>, number][] = [
      [manager, "/admin/members", { intent: "deactivate", memberId: ada }, 403],
      [manager, "/admin/members", { intent: "remove", memberId: ada }, 403],
      [
        manager,
        "/admin/members",
        { intent: "setRoles", memberId: String(acme("plain@example.com")), roleId: admin },
        403,
      ],
      [manager, "/admin/roles", { intent: "create", name: "Spies", permission: "activity.view" }, 403],
      [owner, "/admin/members", { intent: "setRoles", memberId: ada }, 400],
      [owner, "/admin/members", { intent: "deactivate", memberId: "abc" }, 400],
      [owner, "/admin/members", { intent: "deactivate", memberId: String(ownerId) }, 403],
      [owner, "/admin/roles", { intent: "create", name: "People" }, 409],
      [plain, "/admin/members", { intent: "deactivate", memberId: ada }, 403],
    ];
    for (const [client, path, fields, status] of refused) {
      const response = await post(client, path, fields);
      expect(response.status, `${path} ${JSON.stringify(fields)}`).toBe(status);
      expect(fresh(), `${path} ${JSON.stringify(fields)} wrote to the log`).toEqual([]);
    }
  });

  it("a new organization: created by the member who made it, in its own log", async () => {
    await post(owner, "/orgs/new", { orgName: "Second" });
    const entry = only(fresh());
    expect(entry).toMatchObject({ action: "organization.created", targetLabel: "Second" });
    expect(entry.organizationId).not.toBe(entries()[0]?.organizationId);
    expect(entry.actorMemberId).toBe(memberId(server.databasePath, "Second", "owner@example.com"));
    // Back to Acme for the tests that follow.
    await post(owner, "/orgs/switch", { organizationId: String(entries()[0]?.organizationId) });
  });
});

/** The href of the page's link with this rel. */
function linkWithRel(html: string, rel: string): string | undefined {
  const tag = [...html.matchAll(/<a [^>]*>/g)].map((match) => match[0]).find((a) => a.includes(`rel="${rel}"`));
  return tag ? /href="([^"]*)"/.exec(tag)?.[1]?.replaceAll("&amp;", "&") : undefined;
}

/** Issues a new link for an invitation as the owner and returns its path. */
async function renewLink(invitationId: number): Promise<string> {
  const response = await post(owner, "/admin/members", {
    intent: "renewInvitation",
    invitationId: String(invitationId),
  });
  const html = await followRedirect(owner, response);
  fresh();
  const link = /value="(http[^"]*\/invite\/[\w-]+)"/.exec(html)?.[1];
  if (!link) throw new Error("no invitation link");
  return new URL(link).pathname;
}

describe("the log itself", () => {
  it("cannot be changed or deleted, even with SQL", () => {
    withDatabase(server.databasePath, (db) => {
      expect(() => db.prepare("update audit_events set actor_label = 'someone else'").run()).toThrow(/append-only/);
      expect(() => db.prepare("delete from audit_events").run()).toThrow(/append-only/);
    });
  });

  it("records every export of activity data, with its filter, and no last-active values", async () => {
    const csv = await owner.get("/admin/members.csv?q=example&status=inactive90&sort=name&dir=desc&page=3");
    expect(csv.status).toBe(200);
    await csv.text();
    expect(only(fresh())).toMatchObject({
      action: "activity.exported",
      actorMemberId: ownerId,
      targetType: "export",
      targetLabel: "/admin/members.csv",
      change: { format: "csv", filter: { q: "example", status: "inactive90", sort: "name", dir: "desc" } },
    });
    const first = await owner.get("/api/org/members-with-roles?limit=3");
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("Link") ?? "")?.[1];
    expect(next).toBeDefined();
    expect((await owner.get(new URL(next as string).pathname + new URL(next as string).search)).status).toBe(200);
    const pages = fresh();
    expect(pages.map((entry) => [entry.action, entry.change.format, entry.change.filter])).toEqual([
      ["activity.exported", "json", { limit: 3, after: 0 }],
      ["activity.exported", "json", { limit: 3, after: expect.any(Number) }],
    ]);
    const lastActive = withDatabase(server.databasePath, (db) =>
      db.prepare("select last_active_at from members where last_active_at is not null").pluck().all(),
    ) as number[];
    const log = JSON.stringify(entries());
    for (const value of lastActive) expect(log).not.toContain(String(value));
    // Refused or malformed exports are not exports.
    expect((await owner.get("/admin/members.csv?status=bogus")).status).toBe(400);
    expect((await owner.get("/api/org/members-with-roles?limit=0")).status).toBe(400);
    expect(fresh()).toEqual([]);
  });
});

describe("an export the log cannot record", () => {
  it("is refused with 503 while another process holds the write lock, and nothing is sent or written", async () => {
    const other = new Database(server.databasePath);
    other.exec("begin immediate");
    try {
      for (const path of ["/admin/members.csv", "/api/org/members-with-roles"]) {
        const response = await owner.get(path);
        expect(response.status, path).toBe(503);
        expect(Number(response.headers.get("Retry-After")), path).toBeGreaterThan(0);
        expect(await response.text(), path).not.toContain("owner@example.com");
      }
    } finally {
      other.exec("rollback");
      other.close();
    }
    expect(fresh()).toEqual([]);
  });
});

describe("/admin/audit", () => {
  const rowsOf = (html: string) => [...html.matchAll(/<tr data-action="([\w.]+)"/g)].map((match) => match[1]);

  it("lists entries newest first, with times as <time> and the change readable", async () => {
    const html = await (await owner.get("/admin/audit")).text();
    const rows = rowsOf(html);
    expect(rows[0]).toBe("activity.exported");
    expect(rows).toContain("member.roles_changed");
    expect(html).toMatch(/<time dateTime="\d{4}-\d{2}-\d{2}T[^"]+" title="[^"]+">/);
    expect(html).toContain("Roles: Member → Admin");
    expect(html).toContain("Status: Active → Deactivated");
    expect(html).toContain("How: all inactive 90+ days");
  });

  it("filters by action, actor, target and date range in the URL", async () => {
    const byAction = rowsOf(await (await owner.get("/admin/audit?action=member.deactivated")).text());
    expect(byAction.length).toBe(entries("action = 'member.deactivated'").length);
    expect(new Set(byAction)).toEqual(new Set(["member.deactivated"]));

    const ada = acme("ada@example.com");
    const byActor = rowsOf(await (await owner.get(`/admin/audit?actor=${ada}`)).text());
    expect(byActor).toEqual(["invitation.accepted"]);

    const target = await (await owner.get(`/admin/audit?target=${ada}`)).text();
    expect(rowsOf(target)).toEqual([
      "member.roles_changed",
      "invitation.accepted",
      "invitation.renewed",
      "invitation.renewed",
      "member.invited",
    ]);
    expect(target).toContain("Target: Ada Lovelace &lt;ada@example.com&gt;");

    const hr = roleId(server.databasePath, "Acme", "People");
    expect(rowsOf(await (await owner.get(`/admin/audit?targetType=role&target=${hr}`)).text())).toEqual([
      "role.edited",
      "role.created",
    ]);

    const today = new Date().toISOString().slice(0, 10);
    expect(rowsOf(await (await owner.get(`/admin/audit?from=${today}&to=${today}`)).text()).length).toBeGreaterThan(10);
    expect(await (await owner.get("/admin/audit?to=2020-01-01")).text()).toContain("No events match these filters.");
    expect(rowsOf(await (await owner.get("/admin/audit?actor=system")).text())).toEqual([]);
  });

  it("answers malformed filters and cursors with a translated 400, never a 500", async () => {
    for (const query of ["action=member.hacked", "from=2026-13-01", "actor=-3", "after=99999999", "after=1&before=2"]) {
      const response = await owner.get(`/admin/audit?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text(), query).toContain("<h1>");
    }
    expect((await owner.get("/admin/audit.csv?target=x")).status).toBe(400);
  });

  it("pages by cursor: older, newer and newest links", async () => {
    // Enough entries for three pages: each page of the API is an export, and logged.
    for (let index = 0; index < 110; index++) await owner.get("/api/org/members-with-roles?limit=1");
    fresh();
    const all = entries("organization_id = ?", entries()[0]?.organizationId)
      .map((entry) => entry.id)
      .reverse();
    const idsOn = (html: string) => [...html.matchAll(/<tr data-action/g)].length;
    const first = await (await owner.get("/admin/audit")).text();
    expect(idsOn(first)).toBe(50);
    expect(first).not.toContain('rel="prev"');
    const olderHref = linkWithRel(first, "next");
    expect(olderHref).toBe(`/admin/audit?after=${all[49]}`);
    const second = await (await owner.get(olderHref as string)).text();
    expect(idsOn(second)).toBe(50);
    expect(second).toContain('href="/admin/audit"');
    expect(linkWithRel(second, "prev")).toBe(`/admin/audit?before=${all[50]}`);
    const back = await (await owner.get(`/admin/audit?before=${all[50]}`)).text();
    expect(rowsOf(back)).toEqual(rowsOf(first));
    const third = await (await owner.get(linkWithRel(second, "next") as string)).text();
    expect(idsOn(third)).toBeGreaterThan(0);
  });

  it("speaks Swedish", async () => {
    const html = await (await owner.get("/admin/audit?lng=sv")).text();
    expect(html).toContain("<h1>Granskningslogg</h1>");
    expect(html).toContain("Aktivitetsdata exporterad");
    expect(html).toContain("Händelse");
    const roles = await (await owner.get("/admin/audit?lng=sv&action=member.roles_changed")).text();
    expect(roles).toContain("Roller ändrade");
    expect(roles).toContain("Roller: Medlem → Administratör");
    const deactivated = await (await owner.get("/admin/audit?lng=sv&action=member.deactivated")).text();
    expect(deactivated).toContain("Status: Aktiv → Inaktiverad");
    expect(deactivated).toContain("Hur: alla inaktiva i 90+ dagar");
    const members = await (await owner.get("/admin/members?lng=sv")).text();
    expect(members).toContain(">Logg</a>");
  });

  it("exports the filtered log as formula-safe CSV", async () => {
    const outbox = { url: server.url, outboxDir: outboxBeside(server.databasePath) };
    const memberRole = roleId(server.databasePath, "Acme", "Member");
    const path = await invite(owner, "formula@example.com", [memberRole]);
    await acceptAsNewUser(outbox, path, '=HYPERLINK("http://evil")', "a long password");
    const response = await owner.get("/admin/audit.csv?action=invitation.accepted");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await response.text();
    const lines = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("at,actor_member_id,actor,action,target_type,target_id,target,change");
    expect(lines.slice(1).every((line) => line.includes(",invitation.accepted,"))).toBe(true);
    expect(lines).toHaveLength(1 + entries("action = 'invitation.accepted'").length);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"") <formula@example.com>"`);
  });

  it("is linked from each member's row on the members page and from the header", async () => {
    const html = await (await owner.get("/admin/members")).text();
    expect(html).toContain(`href="/admin/audit?target=${acme("ada@example.com")}"`);
    expect(html).toContain('href="/admin/audit"');
  });
});
