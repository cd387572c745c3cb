import "../support/app-database";
import { describe, expect, it } from "vitest";
import { sqlite } from "~/db/client.server";
import { loader } from "~/routes/healthz";

describe("/healthz", () => {
  it("answers 200 while the database answers and 503 once it does not", async () => {
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
