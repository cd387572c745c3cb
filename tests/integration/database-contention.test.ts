// Another process holding the database's write lock: writes answer a translated 503 with Retry-After after a short
// wait, change nothing, and neither stall other requests nor block reads; once the lock is gone they go through.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;

beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
});
afterAll(async () => {
  await server.stop();
});

/** Runs `during` while a second connection (another process, as far as SQLite knows) holds the write lock. */
async function whileLocked<T>(during: () => Promise<T>): Promise<T> {
  const other = new Database(server.databasePath);
  other.exec("BEGIN IMMEDIATE");
  other.prepare("update organizations set name = name").run();
  try {
    return await during();
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
}

const ownerName = () =>
  withDatabase(server.databasePath, (db) => db.prepare("select name from users where id = 1").pluck().get());

describe("a database locked by another process", () => {
  it("answers a write with a translated 503 and Retry-After, changing nothing, while other requests go on", async () => {
    const started = Date.now();
    const [write, health, directory] = await whileLocked(async () => {
      const write = owner.post("/settings/profile", { intent: "name", name: "Changed While Locked" });
      const health = fetch(new URL("/healthz", server.url));
      const directory = owner.get("/directory");
      return Promise.all([write, health, directory]);
    });
    const elapsed = Date.now() - started;
    expect(write.status).toBe(503);
    expect(write.headers.get("Retry-After")).toBe("1");
    expect(await write.text()).toContain("The database is busy right now and nothing was changed.");
    expect(health.status).toBe(200);
    // Reads are not held up by the lock (WAL).
    expect(directory.status).toBe(200);
    // Bounded by the short busy timeout (250 ms), not the 5 s one SQLite connections often use; loose for a busy machine.
    expect(elapsed).toBeLessThan(3_000);
    expect(ownerName()).toBe("Olivia Owner");
  });

  it("says so in Swedish", async () => {
    const response = await whileLocked(() =>
      owner.post(
        "/settings/profile",
        { intent: "name", name: "Ändrat" },
        { Cookie: `${owner.cookieHeader()}; lng=sv` },
      ),
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("Databasen är upptagen just nu och inget har ändrats.");
  });

  it("takes the same write once the lock is gone", async () => {
    const response = await owner.post("/settings/profile", { intent: "name", name: "Changed Afterwards" });
    expect(response.status).toBeLessThan(400);
    expect(ownerName()).toBe("Changed Afterwards");
  });

  it("answers a management action the same way (every write transaction, not just the profile)", async () => {
    const response = await whileLocked(() =>
      owner.post("/admin/roles", { intent: "create", name: "Locked out", permission: "activity.view" }),
    );
    expect(response.status).toBe(503);
    const roles = withDatabase(server.databasePath, (db) =>
      db.prepare("select count(*) from roles where name = 'Locked out'").pluck().get(),
    );
    expect(roles).toBe(0);
  });
});
