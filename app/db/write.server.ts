// Write transactions for the request path: they begin IMMEDIATE, and a locked, full or read-only database becomes a
// translated 503 that changed nothing.
import { json } from "@remix-run/node";
import Database from "better-sqlite3";
import { env } from "~/env.server";
import { createBurstLog } from "~/lib/burst-log.server";
import { flyReplayTarget } from "~/lib/litefs.server";
import { primaryHostnameIfReplica } from "~/lib/replica.server";
import { metrics } from "~/metrics/metrics.server";
import { db } from "./client.server";

/** Seconds a client is asked to wait before retrying a write the database was too busy to take. */
export const BUSY_RETRY_AFTER_SECONDS = 1;
/** Seconds to wait after the database could not store anything (full disk, read-only volume, moved file). */
const STORAGE_RETRY_AFTER_SECONDS = 30;

type WriteFailure = "busy" | "storage";

/** Which kind of write failure a SQLite error is, if it is one a request can be told about (anything else is a bug). */
export function writeFailure(error: unknown): WriteFailure | null {
  if (!(error instanceof Database.SqliteError)) return null;
  if (error.code.startsWith("SQLITE_BUSY")) return "busy";
  // Full (disk or max_page_count), read-only (volume remounted, file moved or deleted under us), I/O errors.
  if (/^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/.test(error.code)) return "storage";
  return null;
}

// Operators need to hear of a full or read-only database; once per burst, not once per request.
const storageLog = createBurstLog({ what: "database: a write failed, nothing was stored (full, read-only or I/O)" });

function failureResponse(failure: WriteFailure): Response {
  const retryAfter = failure === "busy" ? BUSY_RETRY_AFTER_SECONDS : STORAGE_RETRY_AFTER_SECONDS;
  return json(
    { reason: failure },
    { status: 503, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store" } },
  );
}

/**
 * On a LiteFS replica (docs/decisions/018-litefs-multi-node.md) nothing can be written: LiteFS's proxy sends every
 * non-GET request to the primary, and a GET that must write (an audited export) is answered with `fly-replay`, which
 * Fly's proxy replays on the primary (as the Epic Stack's ensurePrimary does). Null on the primary or a single node.
 */
function replayOnPrimary(): Response | null {
  const primary = primaryHostnameIfReplica();
  if (primary === null) return null;
  const target = flyReplayTarget(primary, env.liteFs?.primaryRegion);
  if (target === null) return failureResponse("storage");
  return new Response(null, { status: 409, headers: { "fly-replay": target, "Cache-Control": "no-store" } });
}

/**
 * Runs `work` in one write transaction that takes the write lock when it begins (IMMEDIATE): a transaction that
 * reads first and upgrades later fails with SQLITE_BUSY_SNAPSHOT once another process (Litestream) has written,
 * which no busy timeout retries. Waiting for the lock is bounded by the connection's short busy timeout
 * (DATABASE_BUSY_TIMEOUT_MS; better-sqlite3 waits on the event loop, so it must stay short). A lock held past it, a
 * full disk or a read-only database throws a translated 503 with Retry-After; nothing of `work` is kept
 * (docs/decisions/011-short-write-waits.md).
 *
 * On a LiteFS replica it throws the response that replays the request on the primary instead.
 *
 * `work` must be synchronous. Queries inside it may use `db` itself: it is the same connection, so they run inside
 * the transaction.
 */
export function writeTransaction<T>(work: () => T): T {
  const replay = replayOnPrimary();
  if (replay) throw replay;
  try {
    const result = db.transaction(() => work(), { behavior: "immediate" });
    storageLog.succeeded();
    return result;
  } catch (error) {
    const failure = writeFailure(error);
    if (failure === null) throw error;
    metrics.writeRefusals.inc({ reason: failure });
    if (failure === "storage") storageLog.failed(error);
    throw failureResponse(failure);
  }
}
