import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

describe("first-run setup", () => {
  it("sends every page to /setup while no organization exists", async () => {
    const client = new Client(server.url);
    const login = await client.get("/login");
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/setup");
    const setup = await client.get("/setup");
    expect(setup.status).toBe(200);
    const html = await setup.text();
    for (const field of ["orgName", "name", "email", "password"]) expect(html).toContain(`name="${field}"`);
    expect(html).toContain("Create organization");
  });

  it("rejects an incomplete form with field errors, keeping what was typed", async () => {
    const client = new Client(server.url);
    const response = await client.post("/setup", { orgName: "Acme", name: "", email: "not-an-email", password: "x" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("This field is required.");
    expect(html).toContain("Enter a valid email address.");
    expect(html).toContain("Use at least 8 characters.");
    expect(html).toContain('value="Acme"');
    expect(html).toContain('value="not-an-email"');
    withDatabase(server.databasePath, (db) => {
      expect(db.prepare("select count(*) as n from organizations").get()).toEqual({ n: 0 });
    });
  });

  it("creates the organization, its built-in roles and its owner, and signs the owner in", async () => {
    const owner = await setUpOrganization(server.url, { email: "Owner@Example.COM" });
    const home = await owner.get("/");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("Acme");
    expect(html).toContain("owner@example.com");

    withDatabase(server.databasePath, (db) => {
      const user = db.prepare("select email, password_hash from users").get() as {
        email: string;
        password_hash: string;
      };
      expect(user.email).toBe("owner@example.com");
      expect(user.password_hash).toMatch(/^scrypt\$/);
      expect(user.password_hash).not.toContain("correct horse");
      const roles = db.prepare("select name, builtin, permissions from roles order by id").all();
      expect(roles).toEqual([
        { name: "Admin", builtin: "admin", permissions: '["members.manage","activity.view"]' },
        { name: "Member", builtin: "member", permissions: "[]" },
      ]);
      const member = db
        .prepare(
          "select m.is_owner, r.name as role from members m join member_roles mr on mr.member_id = m.id join roles r on r.id = mr.role_id",
        )
        .get();
      expect(member).toEqual({ is_owner: 1, role: "Admin" });
    });
  });

  it("is gone once an organization exists, for pages and form posts alike", async () => {
    const client = new Client(server.url);
    expect((await client.get("/setup")).status).toBe(404);
    const post = await client.post("/setup", {
      orgName: "Evil",
      name: "Mallory",
      email: "mallory@example.com",
      password: "password123",
    });
    expect(post.status).toBe(404);
    withDatabase(server.databasePath, (db) => {
      expect(db.prepare("select count(*) as n from organizations").get()).toEqual({ n: 1 });
    });
  });
});
