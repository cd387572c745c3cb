// The database file and its companions on disk: who is running against it, integrity checks, moving it aside.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** The pid file `npm start` keeps beside the database while it runs. @param {string} databasePath */
export const pidFileOf = (databasePath) => `${databasePath}.pid`;

/**
 * A restored database waiting here is swapped in by the next `npm start` (see docs/operations.md).
 * @param {string} databasePath
 */
export const stagedRestoreOf = (databasePath) => `${databasePath}.restored`;

/**
 * Files that belong to one SQLite database: the WAL, shared memory and Litestream's shadow-WAL directory.
 * @param {string} databasePath
 */
export function companionsOf(databasePath) {
  const dir = path.dirname(databasePath);
  const base = path.basename(databasePath);
  return [`${databasePath}-wal`, `${databasePath}-shm`, path.join(dir, `.${base}-litestream`)];
}

/** @param {number} pid */
function isStartScript(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EPERM") return false;
  }
  // Guards against a reused pid where /proc can tell (Linux); elsewhere a live pid is taken at its word.
  const cmdline = `/proc/${pid}/cmdline`;
  return !fs.existsSync(cmdline) || fs.readFileSync(cmdline, "utf8").includes("start.js");
}

/**
 * The pid of the `npm start` running against this database, or null (no pid file, or a stale one).
 * @param {string} databasePath
 * @returns {number | null}
 */
export function runningAgainst(databasePath) {
  /** @type {unknown} */
  let pid;
  try {
    pid = JSON.parse(fs.readFileSync(pidFileOf(databasePath), "utf8")).pid;
  } catch {
    return null;
  }
  return typeof pid === "number" && Number.isInteger(pid) && pid !== process.pid && isStartScript(pid) ? pid : null;
}

/**
 * Records this process as the one running against the database; throws if another start script already is.
 * @param {string} databasePath
 */
export function claimDatabase(databasePath) {
  const other = runningAgainst(databasePath);
  if (other !== null) {
    throw new Error(`roster: another npm start (pid ${other}) is already running against ${databasePath}.`);
  }
  const file = pidFileOf(databasePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`);
  process.once("exit", () => {
    try {
      if (JSON.parse(fs.readFileSync(file, "utf8")).pid === process.pid) fs.rmSync(file);
    } catch {
      // Already gone, or rewritten by someone else: not ours to remove.
    }
  });
}

/**
 * Runs `PRAGMA integrity_check` and counts the rows of every table.
 * @param {string} file
 * @returns {{ ok: boolean, problems: string[], rows: Record<string, number> }}
 */
export function inspectDatabase(file) {
  const db = new Database(file, { fileMustExist: true });
  try {
    const checked = /** @type {{ integrity_check: string }[]} */ (db.pragma("integrity_check", { simple: false }));
    const problems = checked.map((row) => row.integrity_check);
    const tables = /** @type {string[]} */ (
      db
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
        .pluck()
        .all()
    );
    const rows = Object.fromEntries(
      tables.map((table) => [
        table,
        /** @type {number} */ (db.prepare(`select count(*) from "${table}"`).pluck().get()),
      ]),
    );
    return { ok: problems.length === 1 && problems[0] === "ok", problems, rows };
  } finally {
    db.close();
  }
}

/** @param {string} name */
const quoted = (name) => `"${name.replaceAll('"', '""')}"`;
// Litestream's own tables (_litestream_seq, _litestream_lock): it writes them by itself, they are not the app's data.
const notLitestreams = "name not like '\\_litestream\\_%' escape '\\'";

/**
 * What differs between the contents of two databases, Litestream's own tables left out: "schema" when the schema
 * does, else the tables whose rows do; empty when both hold the same data. Opens them read-only, so a stopped
 * database's WAL is read and left as it is (a read-write connection would checkpoint it away on close).
 * @param {string} file
 * @param {string} other
 * @returns {string[]}
 */
export function contentDifferences(file, other) {
  if (!fs.existsSync(other)) throw new Error(`${other} does not exist`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.prepare("attach database ? as other").run(other);
    /** @param {(schema: string) => string} select */
    const differ = (select) =>
      db
        .prepare(
          `select exists (${select("main")} except ${select("other")}) or ` +
            `exists (${select("other")} except ${select("main")})`,
        )
        .pluck()
        .get() === 1;
    if (differ((schema) => `select type, name, tbl_name, sql from ${schema}.sqlite_schema where ${notLitestreams}`)) {
      return ["schema"];
    }
    const tables = /** @type {{ name: string, wr: number }[]} */ (
      db
        .prepare(
          "select name, wr from pragma_table_list where schema = 'main' and type = 'table' " +
            `and name not in ('sqlite_schema', 'sqlite_temp_schema') and ${notLitestreams} order by name`,
        )
        .all()
    );
    // With the rowid, so that two copies of one row and one copy of it differ too (rowid tables may repeat rows).
    return tables
      .filter(({ name, wr }) => differ((schema) => `select ${wr ? "" : "rowid, "}* from ${schema}.${quoted(name)}`))
      .map(({ name }) => name);
  } finally {
    db.close();
  }
}

/**
 * Moves the database and its companions into `<dir>/replaced-<time>/`, so nothing is deleted; returns that folder,
 * or null when there was nothing to move.
 * @param {string} databasePath
 */
export function moveAside(databasePath) {
  const present = [databasePath, ...companionsOf(databasePath)].filter((file) => fs.existsSync(file));
  if (present.length === 0) return null;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const folder = path.join(path.dirname(databasePath), `replaced-${stamp}`);
  fs.mkdirSync(folder, { recursive: true });
  for (const file of present) fs.renameSync(file, path.join(folder, path.basename(file)));
  return folder;
}
