import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;
beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
});
afterAll(async () => {
  await server.stop();
});

const storedName = () =>
  withDatabase(server.databasePath, (db) => (db.prepare("select name from users").get() as { name: string }).name);

describe("bad input", () => {
  it("rejects a 10,000-character name with a 400 and a clear message, keeping the stored name", async () => {
    const response = await owner.post("/settings/profile", { intent: "name", name: "x".repeat(10_000) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Use at most 100 characters.");
    expect(storedName()).toBe("Olivia Owner");
  });

  it("rejects an empty or missing name", async () => {
    for (const fields of [{ intent: "name", name: "   " }, { intent: "name" }] as Record<string, string>[]) {
      const response = await owner.post("/settings/profile", fields);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("This field is required.");
    }
    expect(storedName()).toBe("Olivia Owner");
  });

  it("stores SQL fragments as plain text and shows HTML fragments escaped", async () => {
    const sqlName = "Robert'); DROP TABLE users; --";
    expect((await owner.post("/settings/profile", { intent: "name", name: sqlName })).status).toBe(302);
    expect(storedName()).toBe(sqlName);

    const htmlName = '<script>alert("x")</script>';
    expect((await owner.post("/settings/profile", { intent: "name", name: htmlName })).status).toBe(302);
    const html = await (await owner.get("/")).text();
    expect(html).not.toContain(htmlName);
    expect(html).toContain("&lt;script&gt;");
    await owner.post("/settings/profile", { intent: "name", name: "Olivia Owner" });
  });

  it("rejects invalid UTF-8 with a 400 instead of storing replacement characters", async () => {
    const body = Buffer.concat([
      Buffer.from("intent=name&name=Ol"),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from("via"),
    ]);
    const response = await owner.request("/settings/profile", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This contains characters that are not allowed.");
    expect(storedName()).toBe("Olivia Owner");
  });

  it("answers a malformed body with a 400 page, not a 500", async () => {
    const response = await owner.request("/settings/profile", {
      method: "POST",
      body: "--nope\r\ngarbage",
      headers: { "Content-Type": "multipart/form-data" },
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Bad request");
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });

  it("answers an unknown form intent with a 400", async () => {
    expect((await owner.post("/settings/profile", { intent: "drop-everything" })).status).toBe(400);
  });

  it("rejects a wrong current password when changing it, and the old password still works", async () => {
    const response = await owner.post("/settings/profile", {
      intent: "password",
      currentPassword: "not my password",
      newPassword: "another long password",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The current password is incorrect.");
  });

  it("answers a login with missing fields with field errors", async () => {
    const response = await new Client(server.url).post("/login", {});
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This field is required.");
  });

  it("answers an unknown page with a translated 404", async () => {
    const response = await owner.get("/no/such/page?lng=sv");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Sidan finns inte");
  });
});
