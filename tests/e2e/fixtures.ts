// Playwright fixtures: each test gets its own built server and fresh database; pages use it as baseURL, and any
// script error in a page (a route module that throws in the browser, a hydration mismatch) fails the test.
import { type BrowserContext, test as base, expect } from "@playwright/test";
import { startServer, type TestServer } from "../support/server";

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
