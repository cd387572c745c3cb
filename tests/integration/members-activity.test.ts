// The members admin page's activity features (SPEC §5): sort, filters, pagination, summary, bulk deactivation,
// CSV and JSON exports, and who may see any of it (only holders of activity.view see activity data).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { followRedirect, inviteAndAccept, memberId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
const HOUR = 3_600_000;

let server: TestServer;
let owner: Client;
let managerOnly: Client;
let plainMember: Client;
const now = Date.now();

// name, email, last active (ms ago, null = never), member since (ms ago), deactivated
const PEOPLE: [string, string, number | null, number, boolean][] = [
  ["Ada Active", "ada@example.com", 2 * HOUR, 400 * DAY, false],
  ["Bea Recent", "bea@example.com", 10 * DAY, 200 * DAY, false],
  ["Cid Dormant", "cid@example.com", 120 * DAY, 300 * DAY, false],
  ["Dot Dormant", "dot@example.com", 400 * DAY, 500 * DAY, false],
  ["Eve Never", "eve@example.com", null, 5 * DAY, false],
  ["Fay Gone", "fay@example.com", 200 * DAY, 600 * DAY, true],
  ['=HYPERLINK("x")', "formula@example.com", 3 * DAY, 50 * DAY, false],
];

beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
  await owner.post("/admin/roles", { intent: "create", name: "Managers", permission: "members.manage" });
  managerOnly = await inviteAndAccept(owner, server.databasePath, "Acme", "manager@example.com", ["Managers"]);
  plainMember = await inviteAndAccept(owner, server.databasePath, "Acme", "plain@example.com", ["Member"]);
  withDatabase(server.databasePath, (db) => {
    const memberRole = db.prepare("select id from roles where name = 'Member'").pluck().get();
    for (const [name, email, lastActiveAgo, sinceAgo, deactivated] of PEOPLE) {
      const user = db
        .prepare("insert into users (email, name, password_hash, created_at) values (?, ?, 'x', ?) returning id")
        .pluck()
        .get(email, name, now - sinceAgo);
      const member = db
        .prepare(
          `insert into members (organization_id, user_id, created_at, joined_at, deactivated_at, last_active_at)
           values (1, ?, ?, ?, ?, ?) returning id`,
        )
        .pluck()
        .get(
          user,
          now - sinceAgo,
          now - sinceAgo,
          deactivated ? now - DAY : null,
          lastActiveAgo === null ? null : now - lastActiveAgo,
        );
      db.prepare("insert into member_roles (member_id, role_id) values (?, ?)").run(member, memberRole);
      if (lastActiveAgo !== null && lastActiveAgo < 30 * DAY) {
        const day = now - lastActiveAgo - ((now - lastActiveAgo) % DAY);
        db.prepare("insert or ignore into member_activity_days (member_id, day) values (?, ?)").run(member, day);
      }
    }
    // Everyone who signed in during setup counts as active now; pin them to known times for stable ordering.
    db.prepare(
      "update members set last_active_at = ? where user_id in (select id from users where email like '%@example.com' and email in ('owner@example.com','manager@example.com','plain@example.com'))",
    ).run(now - 60_000);
  });
});
afterAll(async () => {
  await server.stop();
});

/** The member emails in table order. */
async function emails(client: Client, query = ""): Promise<string[]> {
  const response = await client.get(`/admin/members${query}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  return [...html.matchAll(/<tr data-member-email="([^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("members list: sort, filter, page", () => {
  it("defaults to last active, newest first, never-active last", async () => {
    const order = await emails(owner);
    expect(order.slice(-1)).toEqual(["eve@example.com"]);
    expect(order.indexOf("ada@example.com")).toBeLessThan(order.indexOf("bea@example.com"));
    expect(order.indexOf("bea@example.com")).toBeLessThan(order.indexOf("cid@example.com"));
    expect(order.indexOf("cid@example.com")).toBeLessThan(order.indexOf("dot@example.com"));
  });

  it("sorts by every column both ways, server-side", async () => {
    const byEmail = await emails(owner, "?sort=email&dir=asc");
    expect(byEmail).toEqual([...byEmail].sort());
    expect(await emails(owner, "?sort=email&dir=desc")).toEqual([...byEmail].reverse());
    const byName = await emails(owner, "?sort=name&dir=asc");
    expect(byName[0]).toBe("formula@example.com");
    expect(byName[1]).toBe("ada@example.com");
    expect(await emails(owner, "?sort=name&dir=desc")).toEqual([...byName].reverse());
    const bySince = await emails(owner, "?sort=memberSince&dir=asc");
    expect(bySince[0]).toBe("fay@example.com");
    expect(await emails(owner, "?sort=memberSince&dir=desc")).toEqual([...bySince].reverse());
    const lastActiveAsc = await emails(owner, "?sort=lastActive&dir=asc");
    expect(lastActiveAsc[0]).toBe("eve@example.com");
    expect(await emails(owner, "?sort=lastActive&dir=desc")).toEqual([...lastActiveAsc].reverse());
    const byRolesAsc = await emails(owner, "?sort=roles&dir=asc");
    expect(byRolesAsc[0]).toBe("owner@example.com");
    expect(byRolesAsc[1]).toBe("manager@example.com");
    const byRoles = await emails(owner, "?sort=roles&dir=desc");
    expect(byRoles.at(-1)).toBe("owner@example.com");
  });

  it("filters by status", async () => {
    expect(await emails(owner, "?status=never")).toEqual(["eve@example.com"]);
    expect((await emails(owner, "?status=inactive90")).sort()).toEqual(["cid@example.com", "dot@example.com"]);
    expect(await emails(owner, "?status=deactivated")).toEqual(["fay@example.com"]);
    const active = await emails(owner, "?status=active30");
    expect(active).toContain("bea@example.com");
    expect(active).not.toContain("cid@example.com");
    expect(active).not.toContain("fay@example.com");
  });

  it("searches name and email, case-insensitively, with wildcards taken literally", async () => {
    expect(await emails(owner, "?q=DORMANT")).toHaveLength(2);
    expect(await emails(owner, "?q=bea%40exa")).toEqual(["bea@example.com"]);
    expect(await emails(owner, "?q=%25")).toEqual([]);
  });

  it("filters by role", async () => {
    const managers = withDatabase(server.databasePath, (db) =>
      db.prepare("select id from roles where name = 'Managers'").pluck().get(),
    );
    expect(await emails(owner, `?role=${managers}`)).toEqual(["manager@example.com"]);
  });

  it("answers an invalid sort, status or page with a translated 400", async () => {
    for (const query of [
      "?sort=password",
      "?dir=sideways",
      "?status=everyone",
      "?page=0",
      "?page=abc",
      "?role=x",
      "?after=x",
      "?after=1&before=2",
    ]) {
      const response = await owner.get(`/admin/members${query}&lng=sv`);
      expect(response.status, query).toBe(400);
      expect(await response.text()).toContain("Ogiltigt filter");
    }
  });

  it("pages through many members 50 at a time", async () => {
    withDatabase(server.databasePath, (db) => {
      const insert = db.transaction(() => {
        for (let index = 0; index < 60; index += 1) {
          const user = db
            .prepare("insert into users (email, name, password_hash, created_at) values (?, ?, 'x', ?) returning id")
            .pluck()
            .get(`bulk${String(index).padStart(2, "0")}@bulk.test`, `Bulk ${index}`, now);
          db.prepare(
            "insert into members (organization_id, user_id, created_at, joined_at, deactivated_at) values (1, ?, ?, ?, ?)",
          ).run(user, now, now, now);
        }
      });
      insert();
    });
    const query = "?status=deactivated&sort=email&dir=asc";
    const first = await emails(owner, query);
    const second = await emails(owner, `${query}&page=2`);
    expect(first).toHaveLength(50);
    expect(second).toHaveLength(11);
    expect(new Set([...first, ...second]).size).toBe(61);
    const html = await (await owner.get(`/admin/members${query}&page=2`)).text();
    expect(html).toContain("Showing 51–61 of 61");
    // The page's own links: next and previous carry a cursor (a member id), first and last are numbered pages.
    const links = (page: string) =>
      Object.fromEntries(
        [...page.matchAll(/<a [^>]*>/g)].flatMap(([tag]) => {
          const rel = /rel="(first|prev|next|last)"/.exec(tag)?.[1];
          const href = /href="([^"]+)"/.exec(tag)?.[1] ?? "";
          return rel ? [[rel, href.replaceAll("&amp;", "&").replace("/admin/members", "")]] : [];
        }),
      );
    const firstLinks = links(await (await owner.get(`/admin/members${query}`)).text());
    expect(firstLinks.next).toMatch(/[?&]page=2&after=\d+$/);
    expect(await emails(owner, firstLinks.next)).toEqual(second);
    const secondLinks = links(await (await owner.get(`/admin/members${firstLinks.next}`)).text());
    expect(secondLinks.prev).toBe(query);
    expect(secondLinks.next).toBeUndefined();
    expect(
      await emails(owner, `${query}&page=2&before=${memberId(server.databasePath, "Acme", second[0] ?? "")}`),
    ).toEqual(first);
    withDatabase(server.databasePath, (db) => {
      db.prepare("delete from users where email like '%@bulk.test'").run();
    });
  });
});

describe("activity display", () => {
  it("shows relative times as <time> elements with ISO datetime and an absolute title, and Never", async () => {
    const html = await (await owner.get("/admin/members")).text();
    expect(html).toContain("Last active");
    expect(html).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT[\d:.]+Z" title="[^"]+ UTC">2 hours ago<\/time>/);
    expect(html).toContain("Never");
    // One markup for every screen: the label shows only where rows are laid out as cards (styles.css).
    expect(html).toMatch(/<span class="card-label">Active:(<!-- -->)? <\/span><time/);
  });

  it("renders each member once, in one markup for table and cards, and a role editor only for the row asked for", async () => {
    const html = await (await owner.get("/admin/members")).text();
    expect(html.match(/data-member-email="ada@example\.com"/g)).toHaveLength(1);
    expect(html).not.toContain('value="setRoles"');
    const ada = withDatabase(
      server.databasePath,
      (db) =>
        db
          .prepare("select m.id from members m join users u on u.id = m.user_id where u.email = ?")
          .pluck()
          .get("ada@example.com") as number,
    );
    expect(html).toContain(`href="/admin/members?edit=${ada}#member-${ada}"`);
    const editing = await (await owner.get(`/admin/members?sort=name&dir=asc&edit=${ada}`)).text();
    expect(editing.match(/value="setRoles"/g)).toHaveLength(1);
    // The editor posts to the same view without ?edit, so a saved change comes back with it closed.
    expect(editing).toMatch(/<form method="post" action="\/admin\/members\?sort=name&amp;dir=asc" class="role-editor"/);
    expect(editing).toContain(`<input type="hidden" name="memberId" value="${ada}"/>`);
    // Nobody without members.manage gets an editor, whatever the URL says.
    expect(await (await plainMember.get(`/admin/members?edit=${ada}`)).text()).not.toContain('value="setRoles"');
  });

  it("speaks Swedish", async () => {
    const html = await (await owner.get("/admin/members?lng=sv")).text();
    expect(html).toContain("Senast aktiv");
    expect(html).toContain("Aldrig");
    expect(html).toContain("för 2 timmar sedan");
    expect(html).toMatch(/<span class="card-label">Aktiv:(<!-- -->)? <\/span><time/);
  });

  it("summarizes members, recent, never and dormant, with a 30-day chart", async () => {
    const html = await (await owner.get("/admin/members")).text();
    // A figure, or a figure that links to the members it counts.
    const figure = (label: string) => new RegExp(`<dt>${label}</dt><dd>(?:<a [^>]*>)?(\\d+)`).exec(html)?.[1];
    // owner, manager, plain + ada, bea, cid, dot, eve, formula (fay is deactivated)
    expect(figure("Current members \\(not deactivated\\)")).toBe("9");
    expect(figure("Active in the last 30 days")).toBe("6");
    expect(figure("Never active")).toBe("1");
    expect(figure("Inactive 90\\+ days")).toBe("2");
    expect(html).toContain("Active members per day, last 30 days");
    expect(html.match(/class="chart-bar"/g)).toHaveLength(30);
  });

  it("shows today, 7 and 30 days against the period before, each linking to exactly the members counted", async () => {
    const html = await (await owner.get("/admin/members")).text();
    const day = (ago: number) => new Date(now - ago * DAY).toISOString().slice(0, 10);
    // Ada's, the formula member's and Bea's days (2 hours, 3 days, 10 days ago) were recorded; the sign-ins of setup
    // recorded today for the owner, the manager and the plain member.
    const trend = (period: string) =>
      new RegExp(`<dt>${period}</dt><dd><a [^>]*href="([^"]+)"[^>]*>(\\d+)</a>`).exec(html)?.slice(1, 3);
    const [todayHref, today] = trend("Today") ?? [];
    expect(Number(today)).toBeGreaterThanOrEqual(1);
    expect(todayHref).toContain(`activeFrom=${day(0)}&amp;activeTo=${day(0)}`);
    const [, lastThirty] = trend("Last 30 days") ?? [];
    const listed = await emails(owner, `?activeFrom=${day(29)}&activeTo=${day(0)}&sort=name&dir=asc`);
    expect(listed.length).toBe(Number(lastThirty));
    expect(listed).toEqual(expect.arrayContaining(["ada@example.com", "bea@example.com", "formula@example.com"]));
    expect(listed).not.toContain("cid@example.com");
    expect(html).toMatch(/against the 7 days before/);
  });

  it("switches the chart to 26 weekly bars by URL and refuses a chart it does not know", async () => {
    const html = await (await owner.get("/admin/members?chart=weekly")).text();
    expect(html).toContain("Active members per 7 days, last 26 weeks");
    expect(html.match(/class="chart-bar"/g)).toHaveLength(26);
    expect(html).toMatch(/aria-label="[^"]+ – [^"]+: \d+ active members?"/);
    expect((await owner.get("/admin/members?chart=yearly")).status).toBe(400);
    expect((await owner.get("/admin/members?activeFrom=2026-01-01")).status).toBe(400);
    expect((await owner.get("/admin/members?activeFrom=2026-02-01&activeTo=2026-01-01")).status).toBe(400);
    expect((await owner.get("/admin/members?activeFrom=2026-13-01&activeTo=2026-13-02")).status).toBe(400);
    expect((await managerOnly.get(`/admin/members?activeFrom=2026-01-01&activeTo=2026-01-02`)).status).toBe(403);
  });
});

describe("dormant accounts", () => {
  it("deactivates all members inactive 90+ days after confirmation, keeping their last activity", async () => {
    const before = withDatabase(server.databasePath, (db) =>
      db
        .prepare(
          "select last_active_at from members m join users u on u.id = m.user_id where u.email = 'cid@example.com'",
        )
        .pluck()
        .get(),
    );
    const page = await (await owner.get("/admin/members")).text();
    const asOf = /name="asOf" value="(\d+)"/.exec(page)?.[1] ?? "";
    expect((await owner.post("/admin/members", { intent: "deactivateDormant" })).status).toBe(400);
    // First the server asks, and changes nothing.
    const question = await owner.post("/admin/members", { intent: "deactivateDormant", asOf });
    expect(question.status).toBe(200);
    const questionHtml = await question.text();
    expect(questionHtml).toContain("Deactivate 2 members who have been inactive for 90 days or more?");
    expect(questionHtml).toContain('name="confirmed" value="yes"');
    expect(await emails(owner, "?status=inactive90")).toHaveLength(2);
    const response = await owner.post("/admin/members", { intent: "deactivateDormant", asOf, confirmed: "yes" });
    expect(await followRedirect(owner, response)).toContain("2 members deactivated.");
    expect(await emails(owner, "?status=inactive90")).toEqual([]);
    const after = withDatabase(server.databasePath, (db) =>
      db
        .prepare(
          "select last_active_at, deactivated_at from members m join users u on u.id = m.user_id where u.email = 'cid@example.com'",
        )
        .get(),
    ) as { last_active_at: number; deactivated_at: number };
    expect(after.last_active_at).toBe(before);
    expect(after.deactivated_at).toEqual(expect.any(Number));
  });

  it("acts on the members dormant when the page was shown, not on ones who crossed the line since", async () => {
    const dayAgo = now - DAY;
    withDatabase(server.databasePath, (db) => {
      const user = db
        .prepare("insert into users (email, name, password_hash, created_at) values (?, ?, 'x', ?) returning id")
        .pluck()
        .get("edge@example.com", "Edge Case", now - 200 * DAY);
      // Dormant now (90 days and 12 hours), not yet as of a day ago.
      db.prepare(
        "insert into members (organization_id, user_id, created_at, joined_at, last_active_at) values (1, ?, ?, ?, ?)",
      ).run(user, now - 200 * DAY, now - 200 * DAY, now - 90 * DAY - 12 * 3_600_000);
    });
    const response = await owner.post("/admin/members", {
      intent: "deactivateDormant",
      asOf: String(dayAgo),
      confirmed: "yes",
    });
    expect(response.status).toBe(302);
    expect(await emails(owner, "?status=deactivated")).not.toContain("edge@example.com");
    expect(await emails(owner, "?status=inactive90")).toContain("edge@example.com");
    withDatabase(server.databasePath, (db) => db.prepare("delete from users where email = 'edge@example.com'").run());
  });

  it("deactivates selected members, and never the owner", async () => {
    const ids = withDatabase(server.databasePath, (db) =>
      db
        .prepare(
          "select m.id from members m join users u on u.id = m.user_id where u.email in ('ada@example.com', 'owner@example.com') order by m.is_owner",
        )
        .pluck()
        .all(),
    ) as number[];
    const body = new URLSearchParams({ intent: "deactivateSelected", confirmed: "yes" });
    for (const id of ids) body.append("memberId", String(id));
    const refused = await owner.request("/admin/members", { method: "POST", body });
    expect(refused.status).toBe(403);
    expect(await emails(owner, "?status=deactivated")).not.toContain("ada@example.com");

    const ada = new URLSearchParams({ intent: "deactivateSelected", memberId: String(ids[0]) });
    const question = await owner.request("/admin/members", { method: "POST", body: ada });
    expect(await question.text()).toContain("Deactivate the 1 selected member?");
    expect(await emails(owner, "?status=deactivated")).not.toContain("ada@example.com");
    ada.set("confirmed", "yes");
    expect((await owner.request("/admin/members", { method: "POST", body: ada })).status).toBe(302);
    expect(await emails(owner, "?status=deactivated")).toContain("ada@example.com");
    await owner.post("/admin/members", { intent: "reactivate", memberId: String(ids[0]) });
  });
});

describe("exports", () => {
  it("exports the current filter as CSV that spreadsheets open cleanly", async () => {
    const response = await owner.get("/admin/members.csv?status=never");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="roster-members-\d{4}-\d\d-\d\d\.csv"/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text).toBe(
      "name,email,roles,owner,status,last_active_at,member_since\r\n" +
        `Eve Never,eve@example.com,Member,false,active,,${new Date(now - 5 * DAY).toISOString()}\r\n`,
    );
  });

  it("neutralizes formulas and quotes awkward cells in the CSV", async () => {
    const text = await (await owner.get("/admin/members.csv?q=formula")).text();
    expect(text).toContain(
      `"'=HYPERLINK(""x"")",formula@example.com,Member,false,active,${new Date(now - 3 * DAY).toISOString()}`,
    );
  });

  it("serves members with roles as JSON", async () => {
    const response = await owner.get("/api/org/members-with-roles");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>[];
    const eve = body.find((member) => member.email === "eve@example.com");
    expect(eve).toEqual({
      member_id: expect.any(Number),
      name: "Eve Never",
      email: "eve@example.com",
      is_owner: false,
      last_active_at: null,
      roles: ["Member"],
    });
    const ownerRow = body.find((member) => member.is_owner);
    expect(ownerRow?.last_active_at).toBe(new Date(now - 60_000).toISOString());
    expect(ownerRow?.roles).toEqual(["Admin"]);
  });
});

describe("privacy: only activity.view sees activity data", () => {
  it("shows a members.manage-only admin the list without any activity", async () => {
    const response = await managerOnly.get("/admin/members");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain("Last active");
    expect(html).not.toContain("lastActiveAt");
    expect(html).not.toContain("<time");
    expect(html).not.toContain("Never active");
    expect(html).not.toContain("Export CSV");
  });

  it("sends a members.manage-only admin no activity in the page's data either: no counts, trends, chart or dates", async () => {
    const response = await managerOnly.get("/admin/members?_data=routes%2Fadmin.members");
    expect(response.status).toBe(200);
    const data = (await response.json()) as Record<string, unknown> & { members: Record<string, unknown>[] };
    expect(data.summary).toBeNull();
    expect(data.trends).toBeNull();
    expect(data.chart).toBeNull();
    expect(data.dormant).toBe(0);
    expect(data.members.length).toBeGreaterThan(0);
    for (const row of data.members) {
      expect(Object.keys(row).sort()).toEqual(["createdAt", "email", "id", "isOwner", "name", "roleIds", "status"]);
    }
  });

  it("refuses activity sorts, filters and exports to them with 403", async () => {
    for (const path of [
      "/admin/members?sort=lastActive",
      "/admin/members?status=inactive90",
      "/admin/members?status=never",
      "/admin/members.csv",
      "/api/org/members-with-roles",
    ]) {
      expect((await managerOnly.get(path)).status, path).toBe(403);
    }
    expect(
      (await managerOnly.post("/admin/members", { intent: "deactivateDormant", asOf: String(Date.now()) })).status,
    ).toBe(403);
  });

  it("shows a plain member no activity anywhere, not even their own", async () => {
    for (const path of ["/", "/directory", "/settings/profile"]) {
      const html = await (await plainMember.get(path)).text();
      expect(html, path).not.toContain("<time");
      expect(html, path).not.toMatch(/last_?active/i);
    }
    expect((await plainMember.get("/admin/members.csv")).status).toBe(403);
    const api = await plainMember.get("/api/org/members-with-roles");
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: "forbidden" });
  });

  it("answers anonymous API calls with 401 JSON", async () => {
    const response = await new Client(server.url).get("/api/org/members-with-roles");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "unauthenticated" });
  });
});
