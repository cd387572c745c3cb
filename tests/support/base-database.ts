// Vitest global setup: migrates one base database per run; each in-process test file then works on its own copy of
// it (tests/support/app-database.ts), so no file pays for the migrations or sees another file's rows.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "~/db/open.server";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated base database's file; its folder holds the per-file copies and is removed after the run. */
    baseDatabase: string;
  }
}

export default function setup(project: TestProject) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "roster-databases-"));
  const file = path.join(folder, "base.db");
  // Closing checkpoints the WAL into the file, so a plain file copy is a complete database.
  openDatabase(file).sqlite.close();
  project.provide("baseDatabase", file);
  return () => fs.rmSync(folder, { recursive: true, force: true });
}
