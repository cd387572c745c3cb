// `npm run db:restore`: restores the database from its replica (latest or --timestamp), checked, never over a live one.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { root } from "./build-if-needed.js";
import { inspectDatabase, moveAside, runningAgainst, stagedRestoreOf } from "./database-files.js";
import { listGenerations, removeRestoreLeftovers, runLitestream, withLitestreamDefaults } from "./litestream.js";

const usage = `Usage: npm run db:restore -- [--timestamp <ISO 8601>] [--output <path>] [--force]

  --timestamp  restore the database as it was at this time, e.g. 2025-03-01T09:30:00Z (needs Z or an offset)
  --output     where to write it (default: DATABASE_PATH, i.e. ./data/roster.db); relative to the project folder
  --force      replace an existing file there (it is moved into a replaced-<time>/ folder beside it, not deleted)

Never writes to a database that \`npm start\` is running against. While the app runs, restore to
<DATABASE_PATH>.restored instead: the next \`npm start\` checks it and swaps it in.
See docs/operations.md.`;

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(message);
  process.exit(1);
}

/** @param {string} text */
function parseTimestamp(text) {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
  const time = new Date(text);
  if (!iso.test(text) || Number.isNaN(time.getTime())) {
    fail(`roster: --timestamp must be an ISO 8601 time with a zone, e.g. 2025-03-01T09:30:00Z, not "${text}".`);
  }
  // Litestream wants RFC 3339; in UTC there is no doubt about which time is meant.
  return time.toISOString();
}

/** @type {{ timestamp?: string, output?: string, force?: boolean, help?: boolean }} */
let options;
try {
  ({ values: options } = parseArgs({
    options: {
      timestamp: { type: "string" },
      output: { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  fail(`roster: ${/** @type {Error} */ (error).message}\n\n${usage}`);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

const env = withLitestreamDefaults(process.env);
const target = options.output ? path.resolve(root, options.output) : env.DATABASE_PATH;
const timestamp = options.timestamp === undefined ? undefined : parseTimestamp(options.timestamp);

const runningPid = runningAgainst(target);
if (runningPid !== null) {
  fail(
    `roster: npm start (pid ${runningPid}) is running against ${target}; a restore never replaces a live database.\n` +
      `  Stop it first, or restore to ${stagedRestoreOf(env.DATABASE_PATH)} and restart: npm start swaps it in.`,
  );
}
const occupied = [target, `${target}-wal`].some((file) => fs.existsSync(file));
if (occupied && !options.force) {
  fail(`roster: ${target} already exists. Pass --force to replace it (the current file is moved aside, not deleted).`);
}

fs.mkdirSync(path.dirname(target), { recursive: true });
const scratch = `${target}.restoring-${process.pid}`;
const what = timestamp ? `as of ${timestamp}` : "latest";
console.log(`roster: restoring ${env.DATABASE_PATH} (${what}) from ${env.LITESTREAM_REPLICA_URL}…`);

/**
 * Runs `litestream restore` into the scratch file; returns true on success, false when no backup matched.
 * @param {string[]} selection
 * @returns {boolean}
 */
function restore(selection) {
  const result = runLitestream("restore", ["-o", scratch, ...selection, env.DATABASE_PATH], env, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  process.stdout.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  if (result.status === 0) return true;
  removeRestoreLeftovers(scratch);
  if (`${result.stdout}${result.stderr}`.includes("no matching backups found")) return false;
  fail(`roster: litestream restore failed (exit ${result.status ?? result.signal}).`);
}

/**
 * Litestream matches a timestamp only inside a generation's span, first to last upload. After the last upload of a
 * generation nothing changed, so the state at that time is that generation's end: the latest end before it wins.
 * @param {string} time
 */
function generationEndedBefore(time) {
  const listing = listGenerations(env, { stdio: ["ignore", "pipe", "inherit"] });
  const generations = listing.stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns.length === 5 && /^[0-9a-f]{16}$/.test(columns[1] ?? ""))
    .map(([, generation = "", , , end = ""]) => ({ generation, end: new Date(end) }))
    .filter(({ end }) => end < new Date(time));
  return generations.sort((a, b) => b.end.getTime() - a.end.getTime())[0];
}

const startedAt = Date.now();
if (!restore(timestamp ? ["-timestamp", timestamp] : [])) {
  const earlier = timestamp ? generationEndedBefore(timestamp) : undefined;
  if (!earlier) {
    fail(
      timestamp
        ? "roster: no backup covers that time; see `npm run db:backups` for what the replica holds."
        : `roster: ${env.LITESTREAM_REPLICA_URL} holds no backup of ${env.DATABASE_PATH}.`,
    );
  }
  console.log(
    `roster: nothing was backed up between ${earlier.end.toISOString()} and ${timestamp}: ` +
      `restoring generation ${earlier.generation} as of its last backup.`,
  );
  if (!restore(["-generation", earlier.generation])) fail("roster: that generation could not be restored.");
}
const restoredIn = Date.now() - startedAt;
try {
  removeRestoreLeftovers(scratch);
} catch (error) {
  fail(/** @type {Error} */ (error).message);
}

const { ok, problems, rows } = inspectDatabase(scratch);
if (!ok) fail(`roster: the restored database fails integrity_check; left at ${scratch}:\n  ${problems.join("\n  ")}`);
const aside = options.force ? moveAside(target) : null;
fs.renameSync(scratch, target);

console.log(`roster: restored to ${target} in ${restoredIn} ms; integrity_check: ok`);
for (const [table, count] of Object.entries(rows))
  if (!table.startsWith("_")) console.log(`  ${table.padEnd(24)} ${count} rows`);
if (aside) console.log(`roster: the file it replaced is kept in ${aside}`);
if (target === stagedRestoreOf(env.DATABASE_PATH)) {
  console.log("roster: the next `npm start` (or a machine restart on Fly) swaps it in.");
}
