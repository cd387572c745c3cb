// A full or read-only database during load: writes answer a clear, translated 503, reads go on, nothing is partially
// written, the file stays intact, and writes work again once there is room.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { roleId } from "../support/members";
import { startServer, type TestServer } from "../support/server";

const MAX_SIZE_MB = 1;

let server: TestServer;
let owner: Client;
let memberRole: number;
let sequence = 0;

beforeAll(async () => {
  server = await startServer({ env: { DATABASE_MAX_SIZE_MB: String(MAX_SIZE_MB) } });
  owner = await setUpOrganization(server.url);
  memberRole = roleId(server.databasePath, "Acme", "Member");
});
afterAll(async () => {
  await server.stop();
});

const STORAGE_MESSAGE = "cannot store anything at the moment";

function inviteSomeone(): Promise<Response> {
  sequence += 1;
  return owner.post("/admin/members", {
    intent: "invite",
    email: `person-${sequence}@example.com`,
    roleId: String(memberRole),
  });
}

/** Mixed load: page views and writes in parallel, as a few admins and members would make them. */
async function load(requests: number): Promise<Response[]> {
  const work = Array.from({ length: requests }, (_, index) => {
    switch (index % 4) {
      case 0:
        return inviteSomeone();
      case 1:
        return owner.get("/admin/members");
      case 2:
        return owner.post("/settings/profile", { intent: "name", name: `Owner ${index}` });
      default:
        return owner.get("/directory");
    }
  });
  return Promise.all(work);
}

/** Whatever happened, the database holds whole changes only: every member has roles, every invitee an invitation. */
function expectConsistent() {
  withDatabase(server.databasePath, (db) => {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(
      db
        .prepare(
          "select count(*) from members m where not exists (select 1 from member_roles r where r.member_id = m.id)",
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(
      db
        .prepare(
          "select count(*) from members m where m.joined_at is null and not exists (select 1 from invitations i where i.member_id = m.id)",
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(
      db
        .prepare("select count(*) from users u where not exists (select 1 from members m where m.user_id = u.id)")
        .pluck()
        .get(),
    ).toBe(0);
  });
}

async function expectStatuses(responses: Response[]) {
  for (const response of responses) {
    const body = await response.text();
    expect(response.status, body.slice(0, 200)).not.toBe(500);
    if (response.status >= 500) {
      expect(response.status).toBe(503);
      expect(body).toContain(STORAGE_MESSAGE);
      expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
  }
}

describe("a full database (DATABASE_MAX_SIZE_MB reached)", () => {
  it("answers writes with a clear 503, keeps serving pages, and writes nothing partially", async () => {
    await expectStatuses(await load(20));
    // Another process fills the file to the cap while the load goes on.
    const filling = (async () => {
      const other = new Database(server.databasePath);
      other.exec("create table if not exists filler (data blob)");
      const pageSize = other.pragma("page_size", { simple: true }) as number;
      const capPages = (MAX_SIZE_MB * 1024 * 1024) / pageSize;
      while ((other.pragma("page_count", { simple: true }) as number) < capPages + 8) {
        other.prepare("insert into filler (data) values (zeroblob(16384))").run();
        other.pragma("wal_checkpoint(TRUNCATE)");
      }
      other.close();
    })();
    const during = await load(40);
    await filling;
    // Rows still fit in the tables' last pages for a while; keep inviting (bounded) until the file must grow.
    const after: Response[] = [];
    while (after.length < 400 && !after.some((response) => response.status === 503)) {
      after.push(...(await Promise.all(Array.from({ length: 10 }, () => inviteSomeone()))));
    }
    await expectStatuses([...during, ...after]);
    expect(after.filter((response) => response.status === 503).length, "writes refused once full").toBeGreaterThan(0);
    expect((await owner.get("/admin/members")).status).toBe(200);
    expectConsistent();
  });

  it("says so in Swedish", async () => {
    sequence += 1;
    const response = await owner.post(
      "/admin/members",
      { intent: "invite", email: `person-${sequence}@example.com`, roleId: String(memberRole) },
      { Cookie: `${owner.cookieHeader()}; lng=sv` },
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("kan inte spara något för tillfället");
  });

  it("takes writes again once there is room", async () => {
    withDatabase(server.databasePath, (db) => {
      db.exec("drop table filler");
      db.exec("vacuum");
    });
    expect((await inviteSomeone()).status).toBe(302);
    expectConsistent();
    expect(server.output()).toContain("database: a write failed, nothing was stored");
  });
});

/**
 * Whether files can be made immutable here (`chattr +i`: root on ext4 and the like). Immutable files refuse writes
 * even through descriptors opened before, which is what a volume going read-only looks like to a running process.
 */
function canMakeImmutable(): boolean {
  const probe = path.join(os.tmpdir(), `roster-immutable-${process.pid}`);
  fs.writeFileSync(probe, "");
  try {
    execFileSync("chattr", ["+i", probe], { stdio: "pipe" });
    execFileSync("chattr", ["-i", probe], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

const immutable = canMakeImmutable();
if (!immutable)
  console.warn("storage-faults: chattr +i is not possible here (not root, or no ext4); read-only test skipped");

describe.runIf(immutable)("a read-only database (its files made immutable under the running server)", () => {
  it("answers writes with a clear 503, keeps serving pages, and takes writes again once writable", async () => {
    const files = [server.databasePath, `${server.databasePath}-wal`];
    const usersBefore = withDatabase(server.databasePath, (db) =>
      db.prepare("select count(*) from users").pluck().get(),
    );
    execFileSync("chattr", ["+i", ...files]);
    try {
      const responses = await load(24);
      await expectStatuses(responses);
      expect(responses.filter((response) => response.status === 503).length).toBeGreaterThanOrEqual(6);
      expect((await owner.get("/directory")).status).toBe(200);
    } finally {
      execFileSync("chattr", ["-i", ...files]);
    }
    expect(withDatabase(server.databasePath, (db) => db.prepare("select count(*) from users").pluck().get())).toBe(
      usersBefore,
    );
    expect((await inviteSomeone()).status).toBe(302);
    expectConsistent();
  });
});
