// The process's one database connection, opened (and migrated) on first import and closed on exit.
import { env } from "~/env.server";
import { type OpenDatabase, openDatabase } from "./open.server";

interface Connection extends OpenDatabase {
  /** Run, in order, on exit just before the connection closes. */
  beforeClose: (() => void)[];
}

declare global {
  // Kept on globalThis so `remix dev` rebuilds reuse the connection instead of leaking one per rebuild.
  var __rosterDatabase: Connection | undefined;
}

function connect(): Connection {
  // Migrations at start-up may wait for the lock as long as they need; requests only briefly (app/db/write.server.ts).
  const opened = openDatabase(env.databasePath);
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

globalThis.__rosterDatabase ??= connect();

export const { db, sqlite } = globalThis.__rosterDatabase;

/** Registers last work for the database (e.g. flushing queued writes), run on exit before the connection closes. */
export function beforeDatabaseCloses(hook: () => void): void {
  globalThis.__rosterDatabase?.beforeClose.push(hook);
}
