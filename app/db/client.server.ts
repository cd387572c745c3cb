// The process's one database connection, opened (and migrated) on first import and closed on exit.

import { env } from "~/env.server";
import { primaryHostnameIfReplica } from "~/lib/replica.server";
import { singleton } from "~/lib/singleton.server";
import { type OpenDatabase, openDatabase } from "./open.server";

interface Connection extends OpenDatabase {
  /** Run, in order, on exit just before the connection closes. */
  beforeClose: (() => void)[];
}

function connect(): Connection {
  // Migrations at start-up may wait for the lock as long as they need; requests only briefly (app/db/write.server.ts).
  // A LiteFS replica's database is read-only: the primary migrates it, and the changes arrive by replication.
  const opened = openDatabase(env.databasePath, { migrate: primaryHostnameIfReplica() === null });
  opened.sqlite.pragma(`busy_timeout = ${env.databaseBusyTimeoutMs}`);
  if (env.databaseMaxSizeBytes !== null) {
    const pageSize = opened.sqlite.pragma("page_size", { simple: true }) as number;
    opened.sqlite.pragma(`max_page_count = ${Math.max(1, Math.floor(env.databaseMaxSizeBytes / pageSize))}`);
  }
  const connection: Connection = { ...opened, beforeClose: [] };
  // Synchronous work is allowed in "exit". remix-serve closes its HTTP server on SIGTERM/SIGINT and the process exits
  // once idle, so this runs after the last request: the hooks get their final writes in, then the connection closes.
  process.once("exit", () => {
    for (const hook of connection.beforeClose) {
      try {
        hook();
      } catch (error) {
        console.error("database: a shutdown hook failed", error);
      }
    }
    if (connection.sqlite.open) connection.sqlite.close();
  });
  return connection;
}

// One connection per process: `remix dev` rebuilds reuse it instead of leaking one per rebuild.
const connection = singleton("database", connect);

export const { db, sqlite } = connection;

/** Registers last work for the database (e.g. flushing queued writes), run on exit before the connection closes. */
export function beforeDatabaseCloses(hook: () => void): void {
  connection.beforeClose.push(hook);
}
