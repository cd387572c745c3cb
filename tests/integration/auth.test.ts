import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization, signIn } from "../support/client";
import { withDatabase } from "../support/db";
import { startServer, type TestServer } from "../support/server";

const OWNER = { email: "owner@example.com", password: "correct horse battery" };

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await setUpOrganization(server.url, OWNER);
});
afterAll(async () => {
  await server.stop();
});

const sessionCount = () =>
  withDatabase(
    server.databasePath,
    (db) => (db.prepare("select count(*) as n from sessions").get() as { n: number }).n,
  );

describe("sign-in and sessions", () => {
  it("sends anonymous page requests to /login with the page to come back to", async () => {
    const response = await new Client(server.url).get("/settings/profile?tab=1");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fsettings%2Fprofile%3Ftab%3D1");
  });

  it("shows the sign-in form with its fields and button", async () => {
    const html = await (await new Client(server.url).get("/login")).text();
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).toContain("Log in");
  });

  it("signs in with the right password and returns to the requested page", async () => {
    const client = new Client(server.url);
    const response = await client.post("/login", {
      ...OWNER,
      email: "OWNER@example.com",
      redirectTo: "/settings/profile",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/settings/profile");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=2592000/);
    expect((await client.get("/settings/profile")).status).toBe(200);
  });

  it("never redirects off-site after sign-in", async () => {
    const client = new Client(server.url);
    const response = await client.post("/login", { ...OWNER, redirectTo: "//evil.example/steal" });
    expect(response.headers.get("location")).toBe("/");
  });

  it("stays on-site for redirect targets that normalise to another origin (/.//host, /a/..//host, /%2e//host)", async () => {
    for (const redirectTo of ["/.//evil.example/x", "/a/..//evil.example/x", "/%2e//evil.example/x"]) {
      const client = new Client(server.url);
      const signedIn = await client.post("/login", { ...OWNER, redirectTo });
      expect(signedIn.status, redirectTo).toBe(302);
      expect(signedIn.headers.get("location"), redirectTo).toBe("/");
      // Already signed in, the sign-in page sends the browser on to its redirectTo at once.
      const again = await client.get(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
      expect(again.status, redirectTo).toBe(302);
      expect(again.headers.get("location"), redirectTo).toBe("/");
    }
  });

  it("the language switcher goes home, not to a mangled path, for a target that normalises to another origin", async () => {
    const response = await new Client(server.url).post("/language", { lng: "sv", redirectTo: "/.//evil.example/x" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
  });

  it("stores only a hash of the session id, never the cookie's token", async () => {
    const client = await signIn(server.url, OWNER.email, OWNER.password);
    const token = decodeURIComponent(client.cookies.get("__session") ?? "");
    const ids = withDatabase(
      server.databasePath,
      (db) => db.prepare("select id from sessions").all() as { id: string }[],
    );
    expect(ids.length).toBeGreaterThan(0);
    for (const { id } of ids) expect(token).not.toContain(id);
  });

  it("rotates the session at sign-in: the previous session stops working", async () => {
    const client = await signIn(server.url, OWNER.email, OWNER.password);
    const before = client.cookies.get("__session");
    const stale = new Client(server.url);
    stale.cookies.set("__session", before ?? "");
    await client.post("/login", OWNER);
    expect(client.cookies.get("__session")).not.toBe(before);
    expect((await client.get("/")).status).toBe(200);
    expect((await stale.get("/")).status).toBe(302);
  });

  it("rejects a wrong password with a clear message and keeps the email", async () => {
    const client = new Client(server.url);
    const response = await client.post("/login", { email: OWNER.email, password: "wrong password" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Email or password is incorrect.");
    expect(html).toContain(`value="${OWNER.email}"`);
    expect(client.cookies.has("__session")).toBe(false);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const response = await new Client(server.url).post("/login", {
      email: "nobody@example.com",
      password: "whatever1",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Email or password is incorrect.");
  });

  it("logs out: the session row is deleted and the cookie no longer works", async () => {
    const client = await signIn(server.url, OWNER.email, OWNER.password);
    const token = client.cookies.get("__session") ?? "";
    const before = sessionCount();
    const response = await client.post("/logout", {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
    expect(sessionCount()).toBe(before - 1);
    const replay = new Client(server.url);
    replay.cookies.set("__session", token);
    expect((await replay.get("/")).status).toBe(302);
  });

  it("treats an expired session as signed out", async () => {
    const client = await signIn(server.url, OWNER.email, OWNER.password);
    withDatabase(server.databasePath, (db) => db.prepare("update sessions set expires_at = ?").run(Date.now() - 1));
    const response = await client.get("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login/);
  });

  it("treats tampered and garbage session cookies as signed out, never as an error", async () => {
    const good = await signIn(server.url, OWNER.email, OWNER.password);
    const token = good.cookies.get("__session") ?? "";
    const variants = [
      `${token.slice(0, -2)}xx`,
      "garbage",
      "%E0%A4%A",
      "a".repeat(5000),
      `${Buffer.from(JSON.stringify("x".repeat(43))).toString("base64")}.bad-signature`,
    ];
    for (const value of variants) {
      const client = new Client(server.url);
      client.cookies.set("__session", value);
      const response = await client.get("/");
      expect(response.status, value.slice(0, 20)).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/login/);
    }
  });

  it("failures for other emails do not lock an account", async () => {
    // Kept below the per-address limit (30), which applies once the HTTP guard reports the client's address.
    const client = new Client(server.url);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await client.post("/login", { email: `guess-${attempt}@example.com`, password: "wrong password" });
    }
    expect((await client.post("/login", OWNER)).status).toBe(302);
  });

  it("rate-limits repeated failures for one email with a 429 and a clear message", async () => {
    const email = "victim@example.com";
    const client = new Client(server.url);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await client.post("/login", { email, password: `guess-${attempt}` })).status).toBe(400);
    }
    const limited = await client.post("/login", { email, password: "guess-6" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toMatch(/Too many failed sign-in attempts. Try again in \d+ minutes?\./);
  });
});
