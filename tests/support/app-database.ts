// In-process tests of the app's modules: points DATABASE_PATH at this test file's own copy of the migrated base
// database (tests/support/base-database.ts). The app opens DATABASE_PATH when its modules are first imported, so import
// this first, as a bare import: `import "../support/app-database";` (Biome keeps a bare import where it is).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";

const base = inject("baseDatabase");
if (!base) throw new Error("no base database: run this test through vitest.config.ts (globalSetup base-database.ts)");

/** This test file's database: a fresh copy of the base, with every migration applied and no rows. */
export const databasePath = path.join(path.dirname(base), `${randomUUID()}.db`);
fs.copyFileSync(base, databasePath);
process.env.DATABASE_PATH = databasePath;
