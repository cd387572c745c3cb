import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/domain/**/*.test.ts", "tests/integration/**/*.test.ts"],
    // The production build (for the HTTP tests), and one migrated database that in-process tests copy.
    globalSetup: ["tests/support/global-setup.ts", "tests/support/base-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
