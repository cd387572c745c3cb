// The process's one database connection, opened (and migrated) on first import and closed on exit.
import { env } from "~/env.server";
import { type OpenDatabase, openDatabase } from "./open.server";

declare global {
  // Kept on globalThis so `remix dev` rebuilds reuse the connection instead of leaking one per rebuild.
  var __rosterDatabase: OpenDatabase | undefined;
}

function connect(): OpenDatabase {
  const opened = openDatabase(env.databasePath);
  // Synchronous work is allowed in "exit": whatever else flushed on shutdown has run by now.
  process.once("exit", () => {
    if (opened.sqlite.open) opened.sqlite.close();
  });
  return opened;
}

globalThis.__rosterDatabase ??= connect();

export const { db, sqlite } = globalThis.__rosterDatabase;
