import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("/healthz", () => {
  it("answers 200 while the database answers and 503 once it does not", async () => {
    process.env.DATABASE_PATH = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "roster-healthz-")), "roster.db");
    const { loader } = await import("~/routes/healthz");
    const { sqlite } = await import("~/db/client.server");

    const healthy = loader();
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ ok: true });

    const log = console.error;
    console.error = () => {};
    try {
      sqlite.close();
      const broken = loader();
      expect(broken.status).toBe(503);
      expect(await broken.json()).toEqual({ ok: false });
    } finally {
      console.error = log;
    }
  });
});
