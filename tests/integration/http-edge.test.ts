// The HTTP edge (scripts/serve.js): cross-site refusals, methods, body caps, response headers, links and logs.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { chunkedPost, rawRequest } from "../support/http";
import { acceptAsNewUser, followRedirect, invitationLinkOn, invite, roleId } from "../support/members";
import { insertMembers } from "../support/seed";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;
let memberRole: number;
let target: number;

beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
  memberRole = roleId(server.databasePath, "Acme", "Member");
  await invite(owner, "target@example.com", [memberRole]);
  target = withDatabase(server.databasePath, (db) =>
    db
      .prepare("select m.id from members m join users u on u.id = m.user_id where u.email = 'target@example.com'")
      .pluck()
      .get(),
  ) as number;
});
afterAll(async () => {
  await server.stop();
});

/** Every row of every table the app owns (Litestream's and SQLite's own tables aside). */
function snapshot() {
  return withDatabase(server.databasePath, (db) => {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_%' escape '\\' order by name",
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(tables.map((table) => [table, db.prepare(`select * from "${table}"`).all()]));
  });
}

const OWNER = { email: "owner@example.com", password: "correct horse battery" };

/** Headers by which a browser marks a request from another site (or one that cannot tell where it is from). */
const crossSiteVariants = (): [string, Record<string, string>][] => {
  const port = Number(new URL(server.url).port);
  return [
    ["Origin from another site", { Origin: "https://evil.example" }],
    [
      "Origin from another port of the same host",
      { Origin: `http://127.0.0.1:${port === 65_535 ? port - 1 : port + 1}` },
    ],
    ["Origin: null (sandboxed frame, data: URL)", { Origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "Sec-Fetch-Site": "same-site" }],
    ["Sec-Fetch-Site: cross-site with our own Origin", { "Sec-Fetch-Site": "cross-site", Origin: server.url }],
  ];
};

/** Posts that a cross-site page could make, each with what a success would have changed. */
const forgedPosts = (): { name: string; path: string; fields: Record<string, string>; signedIn: boolean }[] => [
  { name: "login (document)", path: "/login", fields: OWNER, signedIn: false },
  { name: "login (?_data=)", path: "/login?_data=routes%2Flogin", fields: OWNER, signedIn: false },
  { name: "logout (resource route)", path: "/logout", fields: {}, signedIn: true },
  {
    name: "language (resource route, ?_data=)",
    path: "/language?_data=routes%2Flanguage",
    fields: { lng: "sv", redirectTo: "/" },
    signedIn: true,
  },
  {
    name: "admin action (document)",
    path: "/admin/members",
    fields: { intent: "deactivate", memberId: String(target) },
    signedIn: true,
  },
  {
    name: "admin action (?_data=)",
    path: "/admin/members?_data=routes%2Fadmin.members",
    fields: { intent: "deactivate", memberId: String(target) },
    signedIn: true,
  },
];

describe("cross-site requests", () => {
  it("refuses every cross-site POST with a translated 403 and changes nothing", async () => {
    const before = snapshot();
    for (const post of forgedPosts()) {
      for (const [variant, headers] of crossSiteVariants()) {
        const what = `${post.name}, ${variant}`;
        const cookie = post.signedIn ? owner.cookieHeader() : "";
        const response = await rawRequest(server.url, post.path, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            ...(cookie ? { Cookie: cookie } : {}),
            ...headers,
          },
          body: new URLSearchParams(post.fields).toString(),
        });
        expect(response.status, what).toBe(403);
        expect(response.headers["set-cookie"], what).toBeUndefined();
        if (post.path.includes("_data=")) {
          expect(JSON.parse(response.body), what).toEqual({ reason: "crossSite" });
          expect(response.headers["x-remix-catch"], what).toBe("yes");
        } else {
          expect(response.body, what).toContain("Request refused");
          expect(response.body, what).toContain("came from another website");
        }
      }
    }
    expect(snapshot()).toEqual(before);
    // The session the forged /logout aimed at still works.
    const home = await owner.get("/admin/members");
    expect(home.status).toBe(200);
  });

  it("words the refusal in the visitor's language", async () => {
    const headers = { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" };
    const byCookie = await rawRequest(server.url, "/login", {
      method: "POST",
      headers: { ...headers, Cookie: "lng=sv" },
      body: new URLSearchParams(OWNER).toString(),
    });
    expect(byCookie.status).toBe(403);
    expect(byCookie.body).toContain('<html lang="sv"');
    expect(byCookie.body).toContain("Förfrågan avvisades");
    const byHeader = await rawRequest(server.url, "/logout", {
      method: "POST",
      headers: { ...headers, Cookie: owner.cookieHeader(), "Accept-Language": "sv-SE,sv;q=0.9" },
    });
    expect(byHeader.status).toBe(403);
    expect(byHeader.body).toContain("kom från en annan webbplats");
    const byQuery = await rawRequest(server.url, "/login?lng=sv", { method: "POST", headers, body: "" });
    expect(byQuery.body).toContain("Förfrågan avvisades");
  });

  it("still accepts same-origin posts, and posts from non-browser clients that send neither header", async () => {
    const sameOrigin: Record<string, string>[] = [
      { Origin: server.url },
      { "Sec-Fetch-Site": "same-origin" },
      { "Sec-Fetch-Site": "none" },
      {},
    ];
    for (const headers of sameOrigin) {
      const client = new Client(server.url);
      const response = await client.post("/login", OWNER, headers);
      expect(response.status, JSON.stringify(headers)).toBe(302);
      expect((await client.get("/")).status).toBe(200);
      expect((await client.post("/logout", {}, headers)).status).toBe(302);
    }
    // The Host the browser used counts as our origin too (e.g. a second name for the same server).
    const response = await rawRequest(server.url, "/login", {
      method: "POST",
      headers: {
        Host: "roster.internal:8080",
        Origin: "http://roster.internal:8080",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(OWNER).toString(),
    });
    expect(response.status).toBe(302);
  });
});

describe("methods", () => {
  it("answers methods other than GET, HEAD and POST with a translated 405 and an Allow header, on every path", async () => {
    for (const method of ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      for (const path of ["/", "/login", "/admin/members", "/api/org/members-with-roles", "/locales/en/common.json"]) {
        const response = await rawRequest(server.url, path, {
          method,
          headers: { Cookie: owner.cookieHeader(), "Accept-Language": "sv" },
        });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow, `${method} ${path}`).toBe("GET, HEAD, POST");
        expect(response.body, `${method} ${path}`).toContain("Metoden är inte tillåten");
      }
    }
    const head = await rawRequest(server.url, "/login", { method: "HEAD" });
    expect(head.status).toBe(200);
  });
});

const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;

describe("request bodies", () => {
  it("refuses a 150 MB chunked POST to /login with 413 while reading only a little of it", async () => {
    const pid = server.process.pid!;
    const before = rssBytes(pid);
    const response = await chunkedPost(server.url, "/login", {
      totalBytes: 150 * 1024 * 1024,
      first: "password=x&email=",
      chunk: "a".repeat(64 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.body).toContain("Request too large");
    expect(response.sentBytes).toBeLessThan(50 * 1024 * 1024);
    expect(rssBytes(pid) - before).toBeLessThan(50 * 1024 * 1024);
    expect((await rawRequest(server.url, "/healthz")).status).toBe(200);
  });

  it("refuses a declared Content-Length over the cap before reading the body", async () => {
    const response = await rawRequest(server.url, "/login", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(200 * 1024 * 1024),
        "Accept-Language": "sv",
      },
      // Far less than declared: only a server that waits for the body would hang here.
      body: "email=a",
    });
    expect(response.status).toBe(413);
    expect(response.body).toContain("Förfrågan är för stor");
  });

  it("refuses a body that claims both a Content-Length and chunked encoding", async () => {
    const before = snapshot();
    const body = new URLSearchParams(OWNER).toString();
    const response = await rawRequest(server.url, "/login", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": "3",
        "Transfer-Encoding": "chunked",
      },
      body: `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    }).catch((error: Error) => ({ status: 0, body: error.message, headers: {} }));
    expect([0, 400]).toContain(response.status);
    expect(snapshot()).toEqual(before);
  });

  it("answers 40,000 ids in a chunked deactivateSelected with 413, not a 500, and deactivates nobody", async () => {
    const before = snapshot();
    const response = await chunkedPost(server.url, "/admin/members", {
      totalBytes: 40_000 * 11,
      first: `intent=deactivateSelected&confirmed=yes&memberId=${target}`,
      chunk: `&memberId=${target}`,
      headers: { Cookie: owner.cookieHeader() },
    });
    expect(response.status).toBe(413);
    expect(snapshot()).toEqual(before);
  });

  it("refuses more than 1,000 ids in one list with 400, even within the size cap", async () => {
    const seeded = withDatabase(server.databasePath, (db) => {
      const organizationId = db.prepare("select id from organizations where name = 'Acme'").pluck().get() as number;
      return insertMembers(db, { organizationId, count: 1_001 });
    });
    const body = new URLSearchParams({ intent: "deactivateSelected", confirmed: "yes" });
    for (const member of seeded) body.append("memberId", String(member.memberId));
    expect(body.toString().length).toBeLessThan(64 * 1024);
    const before = snapshot();
    const response = await owner.request("/admin/members", { method: "POST", body });
    expect(response.status).toBe(400);
    expect(snapshot()).toEqual(before);
  });
});

describe("response headers", () => {
  const expectPrivate = (headers: Headers, what: string) => {
    // Streamed exports add no-transform (nothing may hold them back to compress them).
    expect(headers.get("Cache-Control"), what).toMatch(/^private, no-store(, no-transform)?$/);
    expect(headers.get("X-Content-Type-Options"), what).toBe("nosniff");
    expect(headers.get("Permissions-Policy"), what).toContain("camera=()");
    expect(headers.get("X-Frame-Options"), what).toBe("DENY");
    expect(headers.get("Referrer-Policy"), what).toBe("same-origin");
  };

  it("marks signed-in documents, data requests, the CSV export and the API private and unsniffable", async () => {
    for (const path of [
      "/admin/members",
      "/admin/members?_data=routes%2Fadmin.members",
      "/?_data=root",
      "/admin/members.csv",
      "/api/org/members-with-roles",
    ]) {
      const response = await owner.get(path);
      expect(response.status, path).toBe(200);
      expectPrivate(response.headers, path);
    }
  });

  it("sends a Content-Security-Policy whose fresh nonce is on every script of the document", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const response = await owner.get("/admin/members");
      const csp = response.headers.get("Content-Security-Policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, csp).toMatch(/^[\w+/=-]{16,}$/);
      nonces.add(nonce!);
      for (const directive of [
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
        `script-src 'self' 'nonce-${nonce}'`,
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain("unsafe-inline");
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(2);
  });

  it("leaves static assets their own long-lived caching", async () => {
    const html = await (await new Client(server.url).get("/login")).text();
    const asset = /src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const response = await fetch(`${server.url}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toContain("max-age=31536000");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("sends no Strict-Transport-Security over plain http", async () => {
    const response = await new Client(server.url).get("/login");
    expect(response.headers.get("Strict-Transport-Security")).toBeNull();
  });
});

describe("invitation links and logs", () => {
  it("builds invitation links from PUBLIC_ORIGIN, whatever Host and X-Forwarded-* say", async () => {
    const body = new URLSearchParams({
      intent: "invite",
      email: "forged-host@example.com",
      roleId: String(memberRole),
    });
    const response = await rawRequest(server.url, "/admin/members", {
      method: "POST",
      headers: {
        Host: "evil.example",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "https",
        Cookie: owner.cookieHeader(),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: body.toString(),
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe("/admin/members");
    // The link travels in the flash cookie to the page the redirect leads to.
    const flash = (response.headers["set-cookie"] ?? []).map((line) => line.split(";")[0]).join("; ");
    const page = await (await owner.get("/admin/members", { Cookie: `${owner.cookieHeader()}; ${flash}` })).text();
    const link = invitationLinkOn(page);
    expect(link).toBeDefined();
    expect(new URL(link!).origin).toBe(server.url);
    expect(page).not.toContain("evil.example");
  });

  it("writes no invitation token to the server's output through a whole invitation flow", async () => {
    const path = await invite(owner, "logged@example.com", [memberRole]);
    const token = path.split("/").pop()!;
    const visitor = new Client(server.url);
    expect((await visitor.get(path)).status).toBe(200);
    expect((await visitor.get(`${path}?_data=routes%2Finvite.%24token`)).status).toBe(200);
    expect((await visitor.get(`/login?redirectTo=${encodeURIComponent(path)}`)).status).toBe(200);
    await acceptAsNewUser(server, path, "Logged Person", "a long password");
    expect((await visitor.get(path)).status).toBe(410);
    // Let the logger flush its last lines.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const output = server.output();
    expect(output).toContain("/invite/");
    expect(output).not.toContain(token);
  });
});

describe("the public origin", () => {
  it("defaults to the Fly app's address on Fly, where responses also carry HSTS", async () => {
    const fly = await startServer({ env: { FLY_APP_NAME: "roster-edge-test", PUBLIC_ORIGIN: "" } });
    try {
      const admin = await setUpOrganization(fly.url);
      const body = new URLSearchParams({
        intent: "invite",
        email: "fly@example.com",
        roleId: String(roleId(fly.databasePath, "Acme", "Member")),
      });
      const html = await followRedirect(admin, await admin.request("/admin/members", { method: "POST", body }));
      expect(html).toMatch(/value="https:\/\/roster-edge-test\.fly\.dev\/invite\/[\w-]{43}"/);
      const response = await admin.get("/");
      expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=31536000");
    } finally {
      await fly.stop();
    }
  });

  it("refuses to start with a PUBLIC_ORIGIN that is not an origin, saying why", async () => {
    await expect(startServer({ env: { PUBLIC_ORIGIN: "roster.example.com/app" } })).rejects.toThrow(
      /PUBLIC_ORIGIN must be an http\(s\) origin/,
    );
  });
});

describe("the client address", () => {
  it("is the socket's, whatever X-Roster-Client-Address a client sends: forging it does not dodge the per-address limit", async () => {
    const fresh = await startServer();
    try {
      await setUpOrganization(fresh.url);
      const statuses: number[] = [];
      for (let i = 0; i <= 30; i++) {
        // A new email each time (the per-email limit stays out of it) and a new forged address each time.
        const response = await new Client(fresh.url).post(
          "/login",
          { email: `guess-${i}@example.com`, password: "wrong password" },
          { "X-Roster-Client-Address": `203.0.113.${i + 1}` },
        );
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 30), statuses.join(",")).toEqual(Array(30).fill(400));
      expect(statuses[30]).toBe(429);
    } finally {
      await fresh.stop();
    }
  });
});
