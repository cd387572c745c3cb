// `npm start`'s script as an operator meets it: Litestream by default, Ctrl-C, LITESTREAM=off, refusals.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { projectRoot } from "../support/server";
import {
  childrenOf,
  type Deployment,
  isAlive,
  killStartedApps,
  makeDeployment,
  removeDeployment,
  runScript,
  startApp,
  waitFor,
} from "../support/start-script";

let deployment: Deployment;
afterEach(async () => {
  await killStartedApps();
  removeDeployment(deployment);
});

/** Runs the start script to completion (for starts that must be refused). */
function startAndWaitForExit(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(projectRoot, "scripts/start.js")], {
    cwd: projectRoot,
    env: { ...process.env, ...deployment.env, PORT: "1", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The process group id, from /proc/<pid>/stat (the field after the state). */
const processGroup = (pid: number) =>
  Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[2]);

const commandLine = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");

describe("npm start", () => {
  it("serves the app under litestream replicate -exec and stops cleanly on a terminal's Ctrl-C", async () => {
    deployment = makeDeployment("200ms");
    const app = await startApp(deployment, {}, { ownProcessGroup: true });
    const { litestream, server } = app.processes();
    expect(commandLine(litestream)).toMatch(
      /@flydotio\/litestream-linux-x64\/litestream replicate -config .*litestream\.yml -exec/,
    );
    expect(commandLine(server)).toMatch(/scripts\/serve\.js \S*build\/index\.js/);
    expect(app.output()).toMatch(/roster: replicating .*roster\.db to file:\/\/.* every 200ms/);
    await setUpOrganization(app.url);
    await waitFor("the first backup", () => runScript(deployment, "db-backups").output.match(/[0-9a-f]{16}\s+0\s+\d+/));

    // Ctrl-C signals the terminal's whole foreground process group, where only the start script is (a server that
    // got it directly as well would be killed outright by the second SIGINT); npm passes the signal on too, so the
    // script sees it twice and must pass on one.
    expect(processGroup(litestream)).not.toBe(processGroup(app.startScript.pid!));
    expect(processGroup(server)).toBe(processGroup(litestream));
    process.kill(-app.startScript.pid!, "SIGINT");
    expect(await app.stop("SIGINT"), app.output()).toEqual({ code: 0, signal: null });
    expect(app.output().match(/SIGINT received/g)).toHaveLength(1);
    expect(app.output()).toContain("litestream shut down");
    expect([isAlive(litestream), isAlive(server)]).toEqual([false, false]);
  });

  it("runs the app alone with LITESTREAM=off, and says that nothing is backed up", async () => {
    deployment = makeDeployment("200ms");
    const app = await startApp(deployment, { LITESTREAM: "off" });
    expect(app.output()).toContain("LITESTREAM=off: the database is not being backed up");
    const [child] = childrenOf(app.startScript.pid!);
    expect(commandLine(child!)).toMatch(/scripts\/serve\.js \S*build\/index\.js/);
    await setUpOrganization(app.url);
    expect(await app.stop(), app.output()).toEqual({ code: 0, signal: null });
    expect(fs.readdirSync(deployment.replicaDir)).toEqual([]);
  });

  it("refuses a second start against a database that is already being served", async () => {
    deployment = makeDeployment("200ms");
    const app = await startApp(deployment);
    const second = startAndWaitForExit({});
    expect(second.status).toBe(1);
    expect(second.output).toContain(`another npm start (pid ${app.startScript.pid}) is already running against`);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("exits 1 when the final sync on stop really fails, and the next start uploads what it missed", async () => {
    // A 60 s sync interval: after the first backup, only the final sync on stop uploads a change.
    deployment = makeDeployment("60s");
    let app = await startApp(deployment);
    const owner = await setUpOrganization(app.url);
    const written = /msg="wal segment written" .*position=([0-9a-f]{16})\/([0-9a-f]{8}):(\d+) .*sz=(\d+)/g;
    const uploads = await waitFor("the first backup", () => {
      const done = [...app.output().matchAll(written)];
      const started = app.output().match(/msg="write wal segment"/g)?.length ?? 0;
      return done.length > 0 && done.length === started ? done : undefined;
    });
    // The final sync writes the next WAL segment to <index>_<offset>.wal.lz4.tmp, then renames it: a directory in
    // the way fails it after the data is read (a failure before that leaves Litestream v0.3.13 stuck).
    const [, generation, index, offset, size] = uploads!.at(-1)!;
    const next = (Number(offset) + Number(size)).toString(16).padStart(8, "0");
    const blocker = path.join(deployment.replicaDir, "generations", generation!, "wal", `${index}_${next}.wal.lz4`);
    fs.mkdirSync(path.join(blocker, "in-the-way"), { recursive: true });
    const saved = await owner.post("/settings/profile", { intent: "name", name: "Changed Before Stop" });
    expect(saved.status).toBe(302);
    await saved.text();

    expect(await app.stop(), app.output()).toEqual({ code: 1, signal: null });
    expect(app.output()).toContain('msg="error closing db"');
    expect(app.output()).toMatch(/the replica does NOT hold every change: restoring it failed[\s\S]*is a directory/);

    fs.rmSync(blocker, { recursive: true });
    app = await startApp(deployment);
    await waitFor("the missed change to be uploaded", () => /msg="wal segment written"/.test(app.output()));
    expect(await app.stop(), app.output()).toEqual({ code: 0, signal: null });
    const probe = path.join(deployment.dataDir, "probe.db");
    expect(runScript(deployment, "db-restore", ["--output", probe]).status).toBe(0);
    expect(withDatabase(probe, (db) => db.prepare("select name from users").pluck().get())).toBe("Changed Before Stop");
  });

  it("refuses to start with an empty database when the replica cannot be restored", async () => {
    deployment = makeDeployment("200ms");
    const snapshots = path.join(deployment.replicaDir, "generations", "0123456789abcdef", "snapshots");
    fs.mkdirSync(snapshots, { recursive: true });
    fs.writeFileSync(path.join(snapshots, "00000000.snapshot.lz4"), "not an lz4 snapshot");
    const start = startAndWaitForExit({});
    expect(start.status).toBe(1);
    expect(start.output).toContain("not starting with an empty database");
    expect(fs.readdirSync(deployment.dataDir).filter((file) => file.startsWith("roster.db"))).toEqual([]);
  });
});
