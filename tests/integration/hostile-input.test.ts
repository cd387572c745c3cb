// Generated hostile requests against every route, as anonymous visitors, members and admins: never a 5xx, never a
// stack trace, nothing written when a request is refused, and the database file intact at the end.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { inviteAndAccept } from "../support/members";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const personas: Record<"anonymous" | "member" | "owner", Client> = {} as never;

beforeAll(async () => {
  server = await startServer();
  personas.anonymous = new Client(server.url);
  personas.owner = await setUpOrganization(server.url);
  personas.member = await inviteAndAccept(personas.owner, server.databasePath, "Acme", "member@example.com", [
    "Member",
  ]);
});
afterAll(async () => {
  await server.stop();
});

// Every route of app/routes, with the form fields and query parameters each reads; /logout and /orgs/new are left to
// their own tests (a valid post ends the persona's session or creates organizations without end).
const ROUTES: { path: string; fields: string[]; query: string[] }[] = [
  { path: "/", fields: [], query: [] },
  { path: "/setup", fields: ["orgName", "name", "email", "password"], query: [] },
  { path: "/login", fields: ["email", "password", "redirectTo"], query: ["redirectTo"] },
  { path: "/directory", fields: [], query: [] },
  { path: "/settings/profile", fields: ["intent", "name", "currentPassword", "newPassword", "language"], query: [] },
  { path: "/orgs/switch", fields: ["organizationId", "redirectTo"], query: [] },
  { path: "/language", fields: ["lng", "redirectTo"], query: ["lng"] },
  {
    path: "/admin/members",
    fields: ["intent", "formId", "email", "roleId", "memberId", "invitationId", "asOf", "confirmed"],
    query: ["sort", "dir", "q", "role", "status", "page"],
  },
  { path: "/admin/members.csv", fields: [], query: ["sort", "dir", "q", "role", "status"] },
  { path: "/admin/roles", fields: ["intent", "roleId", "name", "permission", "reassignTo"], query: [] },
  { path: "/api/org/members-with-roles", fields: [], query: ["limit", "cursor"] },
  { path: "/invite/", fields: ["name", "password", "code", "intent"], query: [] },
  { path: "/healthz", fields: [], query: [] },
  { path: "/no/such/page", fields: [], query: [] },
];

const INTENTS = [
  "invite",
  "setRoles",
  "deactivate",
  "deactivateSelected",
  "deactivateDormant",
  "reactivate",
  "remove",
  "renewInvitation",
  "revokeInvitation",
  "create",
  "update",
  "delete",
  "name",
  "password",
  "language",
];

/** Values an attacker or a broken client sends: edge numbers, huge and odd strings, markup, SQL, encodings. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    "",
    "0",
    "-1",
    "1e308",
    "NaN",
    "99999999999999999999",
    "1",
    "2",
    "3",
    "yes",
    "sv",
    "en",
    "xx",
    "activity.view",
    "members.manage",
    "//evil.example/x",
    "/.//evil.example",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "Robert'); DROP TABLE users; --",
    "%00%ff%fe",
    "\u0000\u0007\u001b",
    "\uD800",
    "𝕳𝖊𝖑𝖑𝖔 👋🏽",
    "a".repeat(5_000),
    "name,lastActive",
    "x@example.com",
  ),
  ...INTENTS.map((intent) => fc.constant(intent)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer().map(String),
);

const hostileRequest = fc.record({
  persona: fc.constantFrom("anonymous", "member", "owner" as const),
  route: fc.constantFrom(...ROUTES),
  method: fc.constantFrom("GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
  suffix: fc.oneof(fc.constant(""), fc.string({ maxLength: 30 }).map(encodeURIComponent)),
  data: fc.boolean(),
  fields: fc.array(fc.tuple(fc.nat(), hostileValue), { maxLength: 12 }),
  query: fc.array(fc.tuple(fc.nat(), hostileValue), { maxLength: 6 }),
  contentType: fc.constantFrom(
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=nothing",
    "application/json",
    "text/plain",
  ),
});

/** What a refused request must not have changed (activity timestamps and sessions move on any signed-in request). */
function snapshot() {
  return withDatabase(server.databasePath, (db) =>
    [
      "select id, email, name, password_hash, locale from users order by id",
      "select id, organization_id, user_id, is_owner, joined_at, deactivated_at from members order by id",
      "select * from member_roles order by 1, 2",
      "select * from roles order by id",
      "select * from invitations order by id",
      "select * from organizations order by id",
    ].map((sql) => db.prepare(sql).all()),
  );
}

const STACK_TRACE = /\bat [\w.<>]+ \(|\.js:\d+:\d+|SqliteError|TypeError|ReferenceError/;

describe("hostile input against every route", () => {
  it("never answers 5xx or shows a stack trace, and changes nothing when it refuses", async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (input) => {
        const client = personas[input.persona];
        const params = new URLSearchParams();
        for (const [index, value] of input.query)
          params.append(input.route.query[index % input.route.query.length] ?? "q", value);
        if (input.data) params.set("_data", `routes/${input.route.path.slice(1).replaceAll("/", ".") || "_index"}`);
        const path = `${input.route.path}${input.route.path.endsWith("/") ? input.suffix || "token" : ""}?${params}`;
        const body = new URLSearchParams();
        for (const [index, value] of input.fields)
          body.append(input.route.fields[index % input.route.fields.length] ?? "x", value);
        const before = snapshot();
        const response = await client.request(
          path,
          input.method === "GET" || input.method === "OPTIONS"
            ? { method: input.method }
            : { method: input.method, body: body.toString(), headers: { "Content-Type": input.contentType } },
        );
        const text = await response.text();
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        expect(response.status, `${input.method} ${path}: ${text.slice(0, 300)}`).toBeLessThan(500);
        expect(text, `${input.method} ${path}`).not.toMatch(STACK_TRACE);
        if (response.status >= 400) expect(snapshot(), `${input.method} ${path} was refused but wrote`).toEqual(before);
      }),
      { numRuns: 400 },
    );
    // The generator reaches both sides: refusals and requests the app accepts.
    expect([...seen.keys()].some((status) => status < 400)).toBe(true);
    expect([...seen.keys()].some((status) => status >= 400)).toBe(true);
    expect(server.output()).not.toMatch(/SqliteError|TypeError|ReferenceError/);
    withDatabase(server.databasePath, (db) => expect(db.pragma("integrity_check", { simple: true })).toBe("ok"));
  }, 240_000);
});
