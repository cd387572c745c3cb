// Write transactions for the request path: they begin IMMEDIATE and turn a locked database into a retryable 503.
import { json } from "@remix-run/node";
import Database from "better-sqlite3";
import { db } from "./client.server";

/** Seconds a client is asked to wait before retrying a write the database was too busy to take. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** Whether an error is SQLite saying another connection holds the lock (SQLITE_BUSY and its extended codes). */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY");
}

/**
 * Runs `work` in one write transaction that takes the write lock when it begins (IMMEDIATE): a transaction that
 * reads first and upgrades later fails with SQLITE_BUSY_SNAPSHOT once another process (Litestream) has written,
 * which no busy timeout retries. Waiting for the lock is bounded by the connection's short busy timeout
 * (DATABASE_BUSY_TIMEOUT_MS; better-sqlite3 waits on the event loop, so it must stay short); past it the request
 * gets a translated 503 with Retry-After, and nothing of `work` is kept.
 *
 * `work` must be synchronous. Queries inside it may use `db` itself: it is the same connection, so they run inside
 * the transaction.
 */
export function writeTransaction<T>(work: () => T): T {
  try {
    return db.transaction(() => work(), { behavior: "immediate" });
  } catch (error) {
    if (isDatabaseBusy(error)) {
      throw json(
        { reason: "busy" },
        { status: 503, headers: { "Retry-After": String(BUSY_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } },
      );
    }
    throw error;
  }
}
