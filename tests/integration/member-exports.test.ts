// The members CSV and the JSON API at thousands of members: the CSV streams in chunks as it is read, the API pages by
// keyset (every member exactly once, whatever changes between pages), both for activity.view holders only.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY } from "~/lib/time";
import { insertMembers, insertOrganization, type SeededMember, signInMembers } from "../support/seed";
import { SESSION_SECRET, startServer, type TestServer } from "../support/server";

const MEMBERS = 3_000;
let server: TestServer;
let sqlite: Database.Database;
let organizationId: number;
const cookies: Record<"owner" | "hr" | "plain", string> = { owner: "", hr: "", plain: "" };

function get(path: string, who: keyof typeof cookies = "owner") {
  return fetch(new URL(path, server.url), { headers: { Cookie: cookies[who] } });
}

function currentMemberIds(): number[] {
  return sqlite
    .prepare("select id from members where organization_id = ? order by id")
    .pluck()
    .all(organizationId) as number[];
}

beforeAll(async () => {
  server = await startServer();
  sqlite = new Database(server.databasePath);
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const organization = insertOrganization(sqlite);
  organizationId = organization.organizationId;
  const seeded = insertMembers(sqlite, { organizationId, count: MEMBERS });
  const now = Date.now();
  const touch = sqlite.prepare("update members set last_active_at = ? where id = ?");
  sqlite.transaction(() => {
    seeded.forEach((member, index) => {
      touch.run(index % 10 === 0 ? null : now - (index % 200) * DAY, member.memberId);
    });
  })();
  const hrRole = Number(
    sqlite
      .prepare(
        "insert into roles (organization_id, name, builtin, permissions, created_at) values (?, 'HR', null, '[\"activity.view\"]', ?)",
      )
      .run(organizationId, now).lastInsertRowid,
  );
  const hr = seeded[1] as SeededMember;
  sqlite.prepare("update member_roles set role_id = ? where member_id = ?").run(hrRole, hr.memberId);
  const [owner, hrMember, plain] = await signInMembers(sqlite, [organization.owner, hr, seeded[2] as SeededMember], {
    secret: SESSION_SECRET,
  });
  cookies.owner = owner?.cookie ?? "";
  cookies.hr = hrMember?.cookie ?? "";
  cookies.plain = plain?.cookie ?? "";
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("the members CSV at thousands of members", () => {
  it("streams: chunked, the header and the first rows in a small first chunk, then the rest as it is read", async () => {
    const response = await get("/admin/members.csv?sort=memberSince&dir=asc");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    // Sent as read, never held back by compression (the client accepts gzip), and never stored by a cache.
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("cache-control")).toBe("private, no-store, no-transform");
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThan(1);
    const decoder = new TextDecoder();
    const first = decoder.decode(chunks[0]);
    expect(first.split("\r\n").length).toBeLessThan(200);
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = decoder.decode(bytes.subarray(3)).split("\r\n");
    expect(lines[0]).toBe("name,email,roles,owner,status,last_active_at,member_since");
    expect(lines.at(-1)).toBe("");
    const emails = lines.slice(1, -1).map((line) => line.split(",")[1]);
    expect(emails).toHaveLength(MEMBERS + 1);
    expect(new Set(emails).size).toBe(MEMBERS + 1);
  });

  it("has the page's filter and order: its first rows are the page's first rows, its length the page's total", async () => {
    for (const query of ["", "?sort=name&dir=desc", "?status=inactive90", "?status=never&sort=email"]) {
      const csv = await (await get(`/admin/members.csv${query}`)).text();
      const emails = csv
        .split("\r\n")
        .slice(1, -1)
        .map((line) => line.split(",")[1]);
      const separator = query ? "&" : "?";
      const page = (await (await get(`/admin/members${query}${separator}_data=routes/admin.members`)).json()) as {
        total: number;
        members: { email: string }[];
      };
      expect(emails.length, query).toBe(page.total);
      expect(emails.slice(0, page.members.length), query).toEqual(page.members.map((member) => member.email));
    }
  });

  it("is for activity.view holders only", async () => {
    expect((await get("/admin/members.csv", "plain")).status).toBe(403);
    expect((await get("/admin/members.csv", "hr")).status).toBe(200);
  });
});

describe("GET /api/org/members-with-roles, paged", () => {
  it("pages 100 members by default, the next page in a Link header", async () => {
    const response = await get("/api/org/members-with-roles");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { member_id: number }[];
    expect(body).toHaveLength(100);
    expect(Object.keys(body[0] ?? {}).sort()).toEqual(
      ["email", "is_owner", "last_active_at", "member_id", "name", "roles"].sort(),
    );
    const link = response.headers.get("link") ?? "";
    expect(link).toMatch(
      new RegExp(`^<${server.url}/api/org/members-with-roles\\?cursor=[A-Za-z0-9_-]+>; rel="next"$`),
    );
  });

  it("gives every member exactly once across pages, while members come, go and become active between pages", async () => {
    const seen: number[] = [];
    let next: string | null = "/api/org/members-with-roles?limit=700";
    const before = currentMemberIds();
    const removed = before[before.length - 10] as number;
    let added: number[] = [];
    let pages = 0;
    while (next) {
      const response = await get(next);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { member_id: number }[];
      expect(body.length).toBeLessThanOrEqual(700);
      seen.push(...body.map((member) => member.member_id));
      next = response.headers.get("link")?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
      pages += 1;
      if (pages === 1) {
        // Between pages: someone not yet listed leaves, two join, members already listed become active.
        sqlite.prepare("delete from members where id = ?").run(removed);
        added = insertMembers(sqlite, { organizationId, count: 2 }).map((member) => member.memberId);
        sqlite
          .prepare("update members set last_active_at = ? where id in (?, ?, ?)")
          .run(Date.now(), ...seen.slice(0, 3));
      }
    }
    expect(pages).toBe(Math.ceil((before.length + 1) / 700));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...before.filter((id) => id !== removed), ...added]);
  });

  it("has no Link header on the last page", async () => {
    const response = await get(`/api/org/members-with-roles?limit=1000`);
    expect(response.headers.get("link")).toContain("limit=1000");
    const all = currentMemberIds();
    const lastPage = await get(
      `/api/org/members-with-roles?limit=5&cursor=${Buffer.from(`m${all[all.length - 4]}`).toString("base64url")}`,
    );
    expect(((await lastPage.json()) as unknown[]).length).toBe(3);
    expect(lastPage.headers.get("link")).toBeNull();
  });

  it("answers a bad limit or cursor with a 400 JSON error", async () => {
    for (const limit of ["0", "1001", "-1", "abc", "10.5", "", "0100"]) {
      const response = await get(`/api/org/members-with-roles?limit=${encodeURIComponent(limit)}`);
      expect(response.status, limit).toBe(400);
      expect(await response.json()).toMatchObject({ error: "badLimit" });
    }
    for (const cursor of ["", "garbage!", "bTA", Buffer.from("x5").toString("base64url"), "bTE=", "a".repeat(40)]) {
      const response = await get(`/api/org/members-with-roles?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, cursor).toBe(400);
      expect(await response.json()).toMatchObject({ error: "badCursor" });
    }
  });

  it("is for activity.view holders only", async () => {
    const refused = await get("/api/org/members-with-roles", "plain");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "forbidden" });
    expect((await get("/api/org/members-with-roles", "hr")).status).toBe(200);
  });
});
