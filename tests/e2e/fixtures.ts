// Playwright fixtures: each worker gets its own built server and fresh database; pages use it as baseURL.
import { test as base } from "@playwright/test";
import { startServer, type TestServer } from "../support/server";

export const test = base.extend<{ serverOptions: Record<string, string> }, { server: TestServer }>({
  serverOptions: [{}, { option: true }],
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires the destructuring pattern
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});

export { expect } from "@playwright/test";
