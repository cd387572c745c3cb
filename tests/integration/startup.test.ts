import { describe, expect, it } from "vitest";
import { withDatabase } from "../support/db";
import { startServer } from "../support/server";

describe("start-up", () => {
  it("creates the data directory, applies migrations and answers /healthz", async () => {
    const server = await startServer();
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      withDatabase(server.databasePath, (db) => {
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
        const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
        expect(tables).toEqual(
          expect.arrayContaining([
            "users",
            "organizations",
            "members",
            "roles",
            "member_roles",
            "sessions",
            "invitations",
          ]),
        );
      });
    } finally {
      await server.stop();
    }
  });

  it("refuses to start in production without SESSION_SECRET, saying what to set", async () => {
    await expect(startServer({ env: { SESSION_SECRET: "" } })).rejects.toThrow(
      /SESSION_SECRET is required in production/,
    );
  });
});
