// Password-guessing limits against the real built server: concurrency, the profile's current-password check, invitations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { acceptAsNewUser, invite, roleId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

// Each test uses its own account and keeps this server's failures from one address well under the per-address limit
// (30), so the tests hold whether or not the HTTP guard reports the loopback address.
let server: TestServer;
let owner: Client;
beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
});
afterAll(async () => {
  await server.stop();
});

const memberRole = () => roleId(server.databasePath, "Acme", "Member");

async function addMember(email: string, password: string): Promise<Client> {
  return acceptAsNewUser(server, await invite(owner, email, [memberRole()]), email.split("@")[0] ?? "x", password);
}

const passwordHash = (email: string) =>
  withDatabase(server.databasePath, (db) =>
    db.prepare("select password_hash from users where email = ?").pluck().get(email),
  );

describe("password-guessing limits", () => {
  it("checks at most five of thirty parallel wrong passwords for one account; the rest get 429 with Retry-After", async () => {
    await addMember("parallel@example.com", "the right password");
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, attempt) =>
        new Client(server.url).post("/login", { email: "parallel@example.com", password: `wrong guess ${attempt}` }),
      ),
    );
    const elapsedMs = performance.now() - started;
    const checked = responses.filter((response) => response.status === 400);
    const refused = responses.filter((response) => response.status === 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.length + refused.length).toBe(30);
    for (const response of refused) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await response.text()).toMatch(/Too many failed sign-in attempts. Try again in \d+ minutes?\./);
    }
    // Now locked for the window, even with the right password.
    const locked = await new Client(server.url).post("/login", {
      email: "parallel@example.com",
      password: "the right password",
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(60);
    console.info(`30 parallel wrong passwords: ${checked.length} checked, answered in ${Math.round(elapsedMs)} ms`);
  });

  it("limits the current-password check of a password change, translated, with Retry-After, and changes nothing", async () => {
    const member = await addMember("changer@example.com", "my real password");
    const before = passwordHash("changer@example.com");
    const change = (currentPassword: string, headers: Record<string, string> = {}) =>
      member.post(
        "/settings/profile",
        { intent: "password", currentPassword, newPassword: "a brand new password" },
        headers,
      );

    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await change(`guess ${attempt}`);
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain("The current password is incorrect.");
    }
    const limited = await change("guess 6");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await limited.text()).toMatch(/Too many failed sign-in attempts. Try again in 15 minutes\./);

    const swedish = await change("guess 7", { Cookie: `${member.cookieHeader()}; lng=sv` });
    expect(swedish.status).toBe(429);
    expect(await swedish.text()).toContain("För många misslyckade inloggningsförsök. Försök igen om 15 minuter.");

    // Even the right current password waits out the window: the guesses above cannot be followed by a takeover.
    expect((await change("my real password")).status).toBe(429);
    expect(passwordHash("changer@example.com")).toBe(before);
    // The sign-in form shares the account's count.
    const signInAttempt = await new Client(server.url).post("/login", {
      email: "changer@example.com",
      password: "my real password",
    });
    expect(signInAttempt.status).toBe(429);
  });

  it("limits an existing user's password on an invitation link, with Retry-After", async () => {
    await addMember("joiner@example.com", "joiner password");
    await owner.post("/orgs/new", { orgName: "Beta" });
    const path = await invite(owner, "joiner@example.com", [roleId(server.databasePath, "Beta", "Member")]);
    const anonymous = new Client(server.url);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await anonymous.post(path, { intent: "password", password: `guess ${attempt}` })).status).toBe(400);
    }
    const limited = await anonymous.post(path, { intent: "password", password: "joiner password" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await limited.text()).toMatch(/Too many failed sign-in attempts. Try again in 15 minutes\./);
  });
});
