// Runs the app the way `npm start` does (scripts/start.js, under Litestream) on a loopback port, and the db scripts.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { freePort, makeDataDir, projectRoot, SESSION_SECRET } from "./server";

export interface Deployment {
  /** Holds the database, as /data does on Fly. */
  dataDir: string;
  /** The file replica, kept apart from dataDir so a test can lose the whole data directory. */
  replicaDir: string;
  databasePath: string;
  env: Record<string, string>;
}

export function makeDeployment(syncInterval: string): Deployment {
  const dataDir = makeDataDir("roster-ops-data-");
  const replicaDir = makeDataDir("roster-ops-replica-");
  const databasePath = path.join(dataDir, "roster.db");
  return {
    dataDir,
    replicaDir,
    databasePath,
    env: {
      DATABASE_PATH: databasePath,
      LITESTREAM_REPLICA_URL: pathToFileURL(replicaDir).href,
      LITESTREAM_SYNC_INTERVAL: syncInterval,
      SESSION_SECRET,
      COOKIE_SECURE: "false",
      HOST: "127.0.0.1",
    },
  };
}

export interface RunningApp {
  url: string;
  startScript: ChildProcess;
  output: () => string;
  /** Litestream's pid and the app server's pid (Litestream's -exec child). */
  processes: () => { litestream: number; server: number };
  /** Sends the signal to the start script and waits for the whole tree to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs Litestream and the app server at once (their process group), like pulling the plug; idempotent. */
  killHard: () => Promise<void>;
}

/** Child pids from /proc (Linux), across all threads: Go starts children from whichever thread it is on. */
export const childrenOf = (pid: number): number[] =>
  fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/))
    .filter(Boolean)
    .map(Number);

/** SIGKILLs the process and everything below it (by process group too, for children already orphaned). */
function killTree(pid: number) {
  let children: number[] = [];
  try {
    children = childrenOf(pid);
  } catch {
    // Already gone.
  }
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // No such group or process.
    }
  }
  for (const child of children) killTree(child);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function removeDeployment(deployment: Deployment) {
  fs.rmSync(deployment.dataDir, { recursive: true, force: true });
  fs.rmSync(deployment.replicaDir, { recursive: true, force: true });
}

const started = new Set<RunningApp>();

/** Kills every app this test file started and has not seen exit, orphaned servers included (for afterEach). */
export async function killStartedApps() {
  await Promise.all([...started].map((app) => app.killHard()));
  started.clear();
}

/**
 * Starts scripts/start.js and resolves once /healthz answers 200. `ownProcessGroup` puts the script in a group of
 * its own, like a shell's foreground job, so a test can signal the group as a terminal's Ctrl-C does.
 */
export async function startApp(
  deployment: Deployment,
  env: Record<string, string> = {},
  { ownProcessGroup = false } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const metricsPort = await freePort();
  const startScript = spawn(process.execPath, [path.join(projectRoot, "scripts/start.js")], {
    cwd: projectRoot,
    env: { ...process.env, ...deployment.env, PORT: String(port), METRICS_PORT: String(metricsPort), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: ownProcessGroup,
  });
  let output = "";
  startScript.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  startScript.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    startScript.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;

  try {
    await waitFor("the app to answer /healthz", async () => {
      if (startScript.exitCode !== null) throw new Error(`the start script exited (${startScript.exitCode})`);
      return fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
    });
  } catch (error) {
    killTree(startScript.pid!);
    throw new Error(`${(error as Error).message}:\n${output}`);
  }

  // start.js runs its child in a process group of its own: Litestream, or the server with LITESTREAM=off.
  const [groupLeader] = childrenOf(startScript.pid!);
  if (!groupLeader) throw new Error(`the start script has no child process:\n${output}`);
  const processes = () => {
    const [server] = childrenOf(groupLeader);
    if (!server) throw new Error(`expected start.js → litestream → server:\n${output}`);
    return { litestream: groupLeader, server };
  };

  const app: RunningApp = {
    url,
    startScript,
    output: () => output,
    processes,
    async stop(signal = "SIGTERM") {
      startScript.kill(signal);
      const timer = setTimeout(() => killTree(startScript.pid!), 20_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async killHard() {
      killTree(groupLeader);
      await exited;
    },
  };
  started.add(app);
  return app;
}

export interface ScriptResult {
  status: number | null;
  output: string;
  durationMs: number;
}

/** Runs `npm run db:restore` / `db:backups`'s script with the deployment's environment. */
export function runScript(deployment: Deployment, script: "db-restore" | "db-backups", args: string[] = []) {
  const startedAt = performance.now();
  const result = spawnSync(process.execPath, [path.join(projectRoot, `scripts/${script}.js`), ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...deployment.env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    durationMs: performance.now() - startedAt,
  } satisfies ScriptResult;
}

/** Deletes the database and its -wal/-shm, as a lost or wiped disk would. */
export function deleteDatabaseFiles(databasePath: string) {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${databasePath}${suffix}`, { force: true });
}
