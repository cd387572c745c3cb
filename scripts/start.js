// `npm start`: builds if needed, restores a missing database, serves the app under Litestream, stops gracefully.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded, root, serverBuild } from "./build-if-needed.js";
import { claimDatabase, companionsOf, inspectDatabase, moveAside, stagedRestoreOf } from "./database-files.js";
import {
  litestreamBinary,
  litestreamConfig,
  removeRestoreLeftovers,
  replicaMismatch,
  runLitestream,
  withLitestreamDefaults,
} from "./litestream.js";

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(message);
  process.exit(1);
}

/**
 * The environment the app is started with: DATABASE_PATH is always set, and absolute.
 * @typedef {import("./litestream.js").DatabaseEnv} StartEnv
 */

/**
 * Local runs get a generated secret kept beside the database, so sessions survive restarts; Fly must set one.
 * @param {StartEnv} env
 */
function ensureSessionSecret(env) {
  if (env.SESSION_SECRET) return;
  if (env.FLY_APP_NAME)
    fail("roster: SESSION_SECRET is not set. Run `fly secrets set SESSION_SECRET=$(openssl rand -hex 32)`.");
  const file = path.join(path.dirname(env.DATABASE_PATH), ".session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
    console.log(`roster: generated a session secret in ${file}`);
  }
  env.SESSION_SECRET = fs.readFileSync(file, "utf8").trim();
}

/**
 * Without SMTP_URL, local runs write emails (sign-in codes) to a folder beside the database, where the person running
 * it can open them; on Fly nobody could, so there SMTP_URL is required (docs/decisions/010-proving-email-addresses.md).
 * @param {StartEnv} env
 */
function ensureEmailDelivery(env) {
  if (env.SMTP_URL || env.EMAIL_OUTBOX_DIR) return;
  if (env.FLY_APP_NAME)
    fail(
      "roster: SMTP_URL is not set: Roster could not email the codes that prove addresses. Run " +
        "`fly secrets set SMTP_URL=smtps://user:password@smtp.example.com:465 EMAIL_FROM='Roster <roster@example.com>'` " +
        "(docs/operations.md).",
    );
  env.EMAIL_OUTBOX_DIR = path.join(path.dirname(env.DATABASE_PATH), "outbox");
  console.log(`roster: SMTP_URL is not set: emails are written to ${env.EMAIL_OUTBOX_DIR} instead of being sent`);
}

/**
 * `npm run db:restore -- --output <db>.restored` stages a database; it is swapped in here, while nothing runs.
 * @param {string} databasePath
 */
function swapInStagedRestore(databasePath) {
  const staged = stagedRestoreOf(databasePath);
  if (!fs.existsSync(staged)) return;
  const { ok, problems } = inspectDatabase(staged);
  if (!ok)
    fail(`roster: the staged restore ${staged} fails integrity_check, not swapping it in:\n  ${problems.join("\n  ")}`);
  const folder = moveAside(databasePath);
  fs.renameSync(staged, databasePath);
  console.log(
    `roster: swapped in the restored database ${path.basename(staged)}` +
      (folder ? `; the previous one is kept in ${folder}` : ""),
  );
}

/**
 * If the database file is missing, restores it from the replica when one exists (and checks it) before starting.
 * @param {StartEnv} env
 */
function restoreIfMissing(env) {
  const databasePath = env.DATABASE_PATH;
  if (fs.existsSync(databasePath)) return;
  // A WAL without its database would be replayed onto the restored file: it belongs to a database that is gone.
  if (
    companionsOf(databasePath)
      .slice(0, 2)
      .some((file) => fs.existsSync(file))
  ) {
    console.warn(
      `roster: ${databasePath} is missing but its -wal/-shm are not; moved them to ${moveAside(databasePath)}`,
    );
  }
  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  console.log(
    `roster: ${databasePath} is missing; restoring it from ${env.LITESTREAM_REPLICA_URL} if a backup exists…`,
  );
  const startedAt = Date.now();
  const result = runLitestream("restore", ["-if-db-not-exists", "-if-replica-exists", databasePath], env, {
    stdio: "inherit",
  });
  if (result.status !== 0) {
    removeRestoreLeftovers(databasePath);
    fail(
      `roster: restoring from ${env.LITESTREAM_REPLICA_URL} failed (exit ${result.status ?? result.signal}); ` +
        "not starting with an empty database. Fix the replica settings, or start with LITESTREAM=off.",
    );
  }
  if (!fs.existsSync(databasePath)) {
    console.log("roster: no backup found; starting with a new database.");
    return;
  }
  try {
    removeRestoreLeftovers(databasePath);
  } catch (error) {
    fail(/** @type {Error} */ (error).message);
  }
  const { ok, problems, rows } = inspectDatabase(databasePath);
  if (!ok) {
    fail(
      `roster: the restored database fails integrity_check (moved to ${moveAside(databasePath)}):\n  ${problems.join("\n  ")}`,
    );
  }
  const summary = ["organizations", "users", "members"].map((table) => `${rows[table] ?? 0} ${table}`).join(", ");
  console.log(`roster: restored the database in ${Date.now() - startedAt} ms (integrity ok; ${summary}).`);
}

/**
 * Quotes one argument for Litestream's -exec, which splits its command line like a shell does.
 * @param {string} arg
 */
function quoteForExec(arg) {
  if (arg.includes("'")) fail(`roster: cannot pass a path containing a single quote to Litestream's -exec: ${arg}`);
  return `'${arg}'`;
}

/** What Litestream's log says about its close, which runs after the app has exited and makes the final sync. */
const litestreamLog = { closeFailed: false, ended: Promise.resolve() };

/**
 * Passes Litestream's standard output on and watches it for "error closing db" (Litestream v0.3.13's wording).
 * @param {import("node:stream").Readable} stream
 */
function watchLitestreamLog(stream) {
  stream.setEncoding("utf8");
  let partial = "";
  const scan = (/** @type {string[]} */ lines) => {
    if (lines.some((line) => line.includes('msg="error closing db"'))) litestreamLog.closeFailed = true;
  };
  stream.on("data", (/** @type {string} */ chunk) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    scan(lines);
  });
  litestreamLog.ended = new Promise((resolve) => stream.once("close", resolve)).then(() => scan([partial]));
}

/**
 * Litestream exits 1 when its final sync fails, which can happen with every change uploaded: in v0.3.13 the final
 * sync does not wait for the background sync, and when both upload the same WAL segment to a file replica, one
 * renames the other's temporary file away ("client write: stat ….wal.lz4.tmp: no such file or directory"). So the
 * replica itself decides: the stop counts as clean only if a restore of it holds what the database holds.
 * @param {number | null} code
 */
function settleFailedFinalSync(code) {
  console.warn(
    "roster: Litestream's final sync reported an error (above); checking whether the replica holds every change…",
  );
  const mismatch = replicaMismatch(env);
  if (mismatch === null) {
    console.warn(
      "roster: it does: a restore of the replica holds the same data as the database, so the backup is complete " +
        "(Litestream v0.3.13's final sync can collide with its own background upload; see docs/operations.md).",
    );
    return 0;
  }
  console.error(
    `roster: the replica does NOT hold every change: ${mismatch}\n` +
      `  The changes are still in ${env.DATABASE_PATH}: keep it; the next npm start replicates them.`,
  );
  return code;
}

/** @type {StartEnv} */
const env = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_PATH: path.resolve(root, process.env.DATABASE_PATH || "data/roster.db"),
};
// remix-serve picks a port of its own when PORT is unset.
env.PORT ||= "3000";
if (!["on", "off", undefined].includes(env.LITESTREAM))
  fail(`roster: LITESTREAM must be "on" or "off", not "${env.LITESTREAM}".`);
// Under LiteFS (docs/decisions/018-litefs-multi-node.md) the database lives on its FUSE mount, which holds databases
// only (no pid file, no staged restore) and runs one copy of this script: restores go in with `litefs import`. A
// replica's database comes from the primary, and only the primary backs it up: two Litestreams would write one replica
// path. With a static lease a node's role never changes.
const onLiteFs = Boolean(env.LITEFS_DIR);
const liteFsReplica = onLiteFs && fs.existsSync(path.join(env.LITEFS_DIR ?? "", ".primary"));
const replicating = env.LITESTREAM !== "off" && !liteFsReplica;

buildIfNeeded();
ensureSessionSecret(env);
ensureEmailDelivery(env);
if (!onLiteFs) {
  try {
    claimDatabase(env.DATABASE_PATH);
  } catch (error) {
    fail(/** @type {Error} */ (error).message);
  }
  swapInStagedRestore(env.DATABASE_PATH);
}

// remix-serve behind the HTTP edge guard (scripts/serve.js; docs/decisions/007-http-edge-guard.md).
const app = [process.execPath, path.join(root, "scripts/serve.js"), serverBuild];
/** @type {import("node:child_process").ChildProcess} */
let child;
if (replicating) {
  if (env.FLY_APP_NAME && !env.LITESTREAM_REPLICA_URL) {
    fail(
      "roster: LITESTREAM_REPLICA_URL is not set: on Fly a replica on the machine's own volume is no backup. See docs/operations.md.",
    );
  }
  /** @type {string} */
  let binary;
  try {
    Object.assign(env, withLitestreamDefaults(env));
    binary = litestreamBinary();
  } catch (error) {
    fail(/** @type {Error} */ (error).message);
  }
  if (!onLiteFs) restoreIfMissing(env);
  console.log(
    `roster: replicating ${env.DATABASE_PATH} to ${env.LITESTREAM_REPLICA_URL} every ${env.LITESTREAM_SYNC_INTERVAL}`,
  );
  const exec = app.map(quoteForExec).join(" ");
  // Its own process group: a terminal's Ctrl-C reaches only this script, which passes on exactly one signal.
  // Its standard output (its log, and the app's output) passes through here, to see whether its final sync failed.
  const litestream = spawn(binary, ["replicate", "-config", litestreamConfig, "-exec", exec], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  watchLitestreamLog(litestream.stdout);
  child = litestream;
} else {
  console.warn(
    liteFsReplica
      ? "roster: a LiteFS replica: the primary backs the database up, not this machine."
      : "roster: LITESTREAM=off: the database is not being backed up.",
  );
  child = spawn(process.execPath, app.slice(1), {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
}

child.on("error", (error) => fail(`roster: could not start ${child.spawnfile}: ${error.message}`));

let stopping = false;
for (const signal of /** @type {NodeJS.Signals[]} */ (["SIGTERM", "SIGINT"])) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`roster: ${signal} received; stopping${replicating ? " (Litestream makes a final sync)" : ""}…`);
    child.kill(signal);
  });
}
child.on("exit", async (code, signal) => {
  if (signal) {
    console.error(`roster: ${replicating ? "Litestream" : "the server"} was killed by ${signal}.`);
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  }
  if (code !== 0 && stopping && replicating) {
    // Its last log lines may still be in the pipe (bounded: an orphaned child could hold the pipe open).
    await Promise.race([litestreamLog.ended, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    if (litestreamLog.closeFailed) process.exit(settleFailedFinalSync(code));
  }
  process.exit(code);
});
