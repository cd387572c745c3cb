// Restore drills: the real start script, the real Litestream binary and a file replica in temp directories.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Client, setUpOrganization, signIn } from "../support/client";
import { withDatabase } from "../support/db";
import {
  type Deployment,
  deleteDatabaseFiles,
  isAlive,
  killStartedApps,
  makeDeployment,
  removeDeployment,
  runScript,
  startApp,
  waitFor,
} from "../support/start-script";

const email = "owner@example.com";
const password = "correct horse battery";

let deployment: Deployment | undefined;
afterEach(async () => {
  await killStartedApps();
  if (deployment) removeDeployment(deployment);
  deployment = undefined;
});

/** The same browser session (its cookies) against the app's new address after a restart. */
function sameBrowser(client: Client, url: string): Client {
  const copy = new Client(url);
  for (const [name, value] of client.cookies) copy.cookies.set(name, value);
  return copy;
}

async function saveProfile(client: Client, fields: Record<string, string>) {
  const response = await client.post("/settings/profile", fields);
  expect(response.status).toBe(302);
}

const userName = (databasePath: string) =>
  withDatabase(databasePath, (db) => db.prepare("select name from users where email = ?").pluck().get(email) as string);

/** Restores the replica's latest state into a scratch file, as `npm run db:restore -- --output` does. */
let probes = 0;
function latestBackup(of: Deployment): string {
  const output = path.join(os.tmpdir(), `roster-probe-${process.pid}-${++probes}.db`);
  const result = runScript(of, "db-restore", ["--output", output]);
  if (result.status !== 0) throw new Error(result.output);
  return output;
}

async function waitUntilReplicaHolds(of: Deployment, what: string, check: (file: string) => boolean) {
  await waitFor(`the replica to hold ${what}`, () => {
    const file = latestBackup(of);
    try {
      return check(file);
    } finally {
      fs.rmSync(file);
    }
  });
}

/** Generations in the file replica that have their snapshot and first WAL segment uploaded. */
const uploadedGenerations = (replicaDir: string) => {
  const generations = path.join(replicaDir, "generations");
  if (!fs.existsSync(generations)) return 0;
  return fs.readdirSync(generations).filter((generation) => {
    const wal = path.join(generations, generation, "wal");
    return fs.existsSync(wal) && fs.readdirSync(wal).length > 0;
  }).length;
};

describe("restore drills", () => {
  it("(a) brings everything back on start after the database files are deleted, with no manual step", async () => {
    deployment = makeDeployment("200ms");
    let app = await startApp(deployment);
    expect(app.output()).toContain("no backup found; starting with a new database");
    const owner = await setUpOrganization(app.url, { orgName: "Drill Org", email, password });
    await saveProfile(owner, { intent: "name", name: "Olivia Renamed" });
    await saveProfile(owner, { intent: "language", language: "sv" });
    await signIn(app.url, email, password);
    const { litestream, server } = app.processes();
    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });
    expect([isAlive(litestream), isAlive(server)]).toEqual([false, false]);
    expect(fs.existsSync(`${deployment.databasePath}.pid`)).toBe(false);

    deleteDatabaseFiles(deployment.databasePath);
    // Round 2 syncs only every 60 s: what it writes can reach the replica only through the final sync on stop.
    const restartedAt = performance.now();
    app = await startApp(deployment, { LITESTREAM_SYNC_INTERVAL: "60s" });
    const recoveryMs = performance.now() - restartedAt;
    expect(app.output()).toMatch(
      /restored the database in \d+ ms \(integrity ok; 1 organizations, 1 users, 1 members\)/,
    );
    const ownerAgain = sameBrowser(owner, app.url);
    const home = await ownerAgain.get("/");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Drill Org");
    expect(await (await ownerAgain.get("/settings/profile")).text()).toContain('value="Olivia Renamed"');

    await waitFor("Litestream to upload a generation for the restored database", () =>
      uploadedGenerations(deployment!.replicaDir) === 2 ? true : undefined,
    );
    await saveProfile(ownerAgain, { intent: "name", name: "Olivia After Restore" });
    await saveProfile(ownerAgain, { intent: "password", currentPassword: password, newPassword: "new horse battery" });
    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });

    // Round 3: the machine is lost, data directory and all.
    fs.rmSync(deployment.dataDir, { recursive: true });
    app = await startApp(deployment);
    await expect(signIn(app.url, email, password)).rejects.toThrow(/sign-in failed: 400/);
    const freshSignIn = await signIn(app.url, email, "new horse battery");
    expect(freshSignIn.cookies.get("lng")).toBe("sv");
    const profile = await (await freshSignIn.get("/settings/profile")).text();
    expect(profile).toContain('value="Olivia After Restore"');
    expect(profile).toContain('<html lang="sv"');
    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });

    withDatabase(deployment.databasePath, (db) => {
      expect(db.prepare("select name from organizations").pluck().all()).toEqual(["Drill Org"]);
      expect(db.prepare("select count(*) from members where last_sign_in_at is not null").pluck().get()).toBe(1);
      // The password change in round 2 ended the owner's other sessions: the one kept, and the fresh sign-in.
      expect(db.prepare("select count(*) from sessions").pluck().get()).toBeGreaterThanOrEqual(2);
    });
    console.log(`drill (a): recovery time, start with restore → /healthz 200: ${Math.round(recoveryMs)} ms`);
  });

  it("(b) restores to a point in time: changes before it are there, destructive changes after it are not", async () => {
    deployment = makeDeployment("200ms");
    let app = await startApp(deployment);
    const owner = await setUpOrganization(app.url, { email, password });
    // Changes A.
    await saveProfile(owner, { intent: "name", name: "Olivia Before" });
    await waitUntilReplicaHolds(deployment, "changes A", (file) => userName(file) === "Olivia Before");
    const pointInTime = new Date().toISOString();
    // Past the file system's coarse clock, so B's uploads are stamped after the noted time.
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Destructive changes B: the name defaced, the password changed, the owner signed out.
    const ownerCookies = sameBrowser(owner, app.url);
    await saveProfile(owner, { intent: "name", name: "Mallory Was Here" });
    await saveProfile(owner, { intent: "password", currentPassword: password, newPassword: "mallory's password" });
    expect((await owner.post("/logout", {})).status).toBe(302);
    await waitUntilReplicaHolds(deployment, "changes B", (file) => userName(file) === "Mallory Was Here");

    // While the app runs, nothing replaces its database, not even with --force.
    const live = runScript(deployment, "db-restore", ["--timestamp", pointInTime, "--force"]);
    expect(live.status).toBe(1);
    expect(live.output).toMatch(/is running against .*roster\.db; a restore never replaces a live database/);

    // The runbook's way: restore beside the live database, check it, restart to swap it in.
    const staged = `${deployment.databasePath}.restored`;
    const restore = runScript(deployment, "db-restore", ["--timestamp", pointInTime, "--output", staged]);
    expect(restore.output).toContain("integrity_check: ok");
    expect(restore.status).toBe(0);
    expect(restore.output).toContain("the next `npm start` (or a machine restart on Fly) swaps it in");
    expect(userName(staged)).toBe("Olivia Before");

    expect(await app.stop(), app.output()).toEqual({ code: 0, signal: null });
    const inPlace = runScript(deployment, "db-restore", ["--timestamp", pointInTime]);
    expect(inPlace.status).toBe(1);
    expect(inPlace.output).toContain("already exists. Pass --force to replace it");

    app = await startApp(deployment);
    expect(app.output()).toMatch(/swapped in the restored database roster\.db\.restored; the previous one is kept in/);
    const signedOutSession = sameBrowser(ownerCookies, app.url);
    expect((await signedOutSession.get("/")).status).toBe(200);
    expect(await (await signedOutSession.get("/settings/profile")).text()).toContain('value="Olivia Before"');
    await expect(signIn(app.url, email, "mallory's password")).rejects.toThrow(/sign-in failed: 400/);
    await signIn(app.url, email, password);
  });

  it("(c) after kill -9 of Litestream and the app mid-load, restores a sound database missing only the last sync interval", async () => {
    const syncIntervalMs = 200;
    // Upload and scheduling time on a busy machine, on top of the sync interval.
    const toleranceMs = 500;
    deployment = makeDeployment(`${syncIntervalMs}ms`);
    const app = await startApp(deployment);
    const owner = await setUpOrganization(app.url, { email, password });

    // Sequential writes as fast as the app takes them; acknowledged[i] is when write i + 1 was answered.
    const acknowledged: number[] = [];
    let loading = true;
    const load = (async () => {
      for (let i = 1; loading; i++) {
        const response = await owner.post("/settings/profile", { intent: "name", name: `load ${i}` });
        if (response.status !== 302) throw new Error(`write ${i} answered ${response.status}`);
        acknowledged.push(performance.now());
      }
    })().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const killedAt = performance.now();
    await app.killHard();
    loading = false;
    await load;
    expect(acknowledged.length).toBeGreaterThan(20);

    // The machine is lost; list the backups and restore, as the runbook does.
    fs.rmSync(deployment.dataDir, { recursive: true });
    const backups = runScript(deployment, "db-backups");
    expect(backups.status).toBe(0);
    expect(backups.output).toMatch(
      /Generations[\s\S]*file\s+[0-9a-f]{16}\s[\s\S]*Snapshots:[\s\S]*file\s+[0-9a-f]{16}\s+0\s/,
    );
    const restore = runScript(deployment, "db-restore");
    expect(restore.output).toContain("integrity_check: ok");
    expect(restore.status).toBe(0);

    const kept = withDatabase(deployment.databasePath, (db) => {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const name = db.prepare("select name from users where email = ?").pluck().get(email) as string;
      return Number(/^load (\d+)$/.exec(name)?.[1]);
    });
    // Writes are sequential, so the restored name says how many survived; one may have committed unanswered.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(acknowledged.length + 1);
    const lost = acknowledged.slice(kept);
    const oldestLostAgeMs = lost.length > 0 ? killedAt - lost[0]! : 0;
    expect(oldestLostAgeMs).toBeLessThanOrEqual(syncIntervalMs + toleranceMs);

    console.log(
      `drill (c): recovery point: lost ${lost.length} of ${acknowledged.length} acknowledged writes, the oldest ` +
        `acknowledged ${Math.round(oldestLostAgeMs)} ms before the kill (sync interval ${syncIntervalMs} ms); ` +
        `recovery time: npm run db:restore (restore + integrity_check) ${Math.round(restore.durationMs)} ms`,
    );
  });
});
