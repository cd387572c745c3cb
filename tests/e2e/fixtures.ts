// Playwright fixtures: each test gets its own built server and fresh database; pages use it as baseURL, and any
// script error in a page (a route module that throws in the browser, a hydration mismatch) fails the test.
// `signedIn` signs the browser in without the login form, through the app's own session code.
import { type BrowserContext, test as base, expect } from "@playwright/test";
import Database from "better-sqlite3";
import { hashPassword } from "~/auth/password.server";
import { insertOrganization, sessionCookie, startSession } from "../support/seed";
import { SESSION_SECRET, startServer, type TestServer } from "../support/server";

/** The signed-in owner of the "Acme" organization that `signedIn` creates (the password works on the login form). */
export interface SignedInOwner {
  email: string;
  name: string;
  password: string;
  organizationId: number;
  memberId: number;
  userId: number;
}

/** Collects uncaught page errors and React's console errors from every page of the context. */
export function watchForScriptErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  context.on("weberror", (error) => errors.push(error.error().message));
  context.on("console", (message) => {
    // A 403/404 page is a response status, not a script error.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      errors.push(message.text());
    }
  });
  return errors;
}

export const test = base.extend<{
  serverEnv: Record<string, string>;
  server: TestServer;
  scriptErrors: string[];
  signedIn: SignedInOwner;
}>({
  // Extra environment for the server, e.g. test.use({ serverEnv: { ACTIVITY_DEBOUNCE_SECONDS: "1" } }).
  serverEnv: [{}, { option: true }],
  server: async ({ serverEnv }, use) => {
    const server = await startServer({ env: serverEnv });
    await use(server);
    await server.stop();
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  // The owner of a new organization, as setup creates them, with a session row made by the app's session code and its
  // signed cookie set on the browser context: tests start signed in without walking the login form (one test in
  // foundation.spec.ts still does).
  signedIn: async ({ server, context }, use) => {
    const owner = { email: "owner@example.com", name: "Olivia Owner", password: "correct horse battery" };
    const passwordHash = await hashPassword(owner.password);
    const sqlite = new Database(server.databasePath);
    let seeded: ReturnType<typeof insertOrganization>;
    let token: string;
    try {
      sqlite.pragma("busy_timeout = 5000");
      seeded = insertOrganization(sqlite, { name: "Acme", owner: { ...owner, passwordHash } });
      token = startSession(sqlite, seeded.owner);
    } finally {
      sqlite.close();
    }
    const cookie = await sessionCookie(token, SESSION_SECRET);
    await context.addCookies([
      { name: cookie.name, value: cookie.value, url: server.url, httpOnly: true, sameSite: "Lax" },
    ]);
    await use({
      ...owner,
      organizationId: seeded.organizationId,
      memberId: seeded.owner.memberId,
      userId: seeded.owner.userId,
    });
  },
  scriptErrors: [
    async ({ context }, use) => {
      const errors = watchForScriptErrors(context);
      await use(errors);
      expect(errors, "script errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
