// Playwright fixtures: each test gets its own built server and fresh database; pages use it as baseURL.
import { test as base } from "@playwright/test";
import { startServer, type TestServer } from "../support/server";

export const test = base.extend<{ serverEnv: Record<string, string>; server: TestServer }>({
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
});

export { expect } from "@playwright/test";
