// On a LiteFS replica, sends the tracker's due writes to the primary's internal endpoint, with the shared token.
import { primaryOrigin } from "~/lib/litefs.server";
import type { ActivityWrite } from "./store.server";
import type { ActivitySink } from "./tracker.server";

/** The path of the primary's endpoint (app/routes/internal.activity.ts). */
export const INTERNAL_ACTIVITY_PATH = "/internal/activity";

/** Members per request: a batch stays far under the edge's 64 KiB body cap (about 60 bytes a member). */
export const FORWARD_BATCH_MEMBERS = 500;

/** A forward that has not been answered by then counts as failed (and is retried): a request never waits for it. */
const FORWARD_TIMEOUT_MS = 3_000;

export interface ForwardOptions {
  /** The primary's origin, e.g. http://arn.roster.internal:3000. */
  origin: string;
  token: string;
  fetch?: typeof fetch;
}

/** The body the endpoint takes: the tracker's writes as they are. */
export interface ForwardedBatch {
  writes: ActivityWrite[];
}

/**
 * Posts the writes to the primary, in batches of FORWARD_BATCH_MEMBERS, and resolves with the members it left alone;
 * rejects on anything but a 200 (401 bad token, 409 not the primary, 503 busy, network errors, timeouts).
 */
export async function forwardActivity(writes: ActivityWrite[], options: ForwardOptions): Promise<number[]> {
  const { origin, token, fetch: send = fetch } = options;
  const unchanged: number[] = [];
  for (let start = 0; start < writes.length; start += FORWARD_BATCH_MEMBERS) {
    const body: ForwardedBatch = { writes: writes.slice(start, start + FORWARD_BATCH_MEMBERS) };
    const response = await send(`${origin}${INTERNAL_ACTIVITY_PATH}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`the primary at ${origin} answered ${response.status}`);
    }
    unchanged.push(...((await response.json()) as { unchanged: number[] }).unchanged);
  }
  return unchanged;
}

export interface ReplicaAwareOptions {
  /** The local database's store: used while this node is the primary. */
  local: ActivitySink;
  primaryHostname: () => string | null;
  primaryPort: number;
  token: string;
  flyAppName: string | undefined;
  /** Told how each forward ended. */
  forwarded?: (outcome: "ok" | "failed") => void;
}

/** The tracker's sink on a LiteFS node: the local database on the primary, the primary's endpoint on a replica. */
export function replicaAwareSink(options: ReplicaAwareOptions): ActivitySink {
  const { local, primaryHostname, primaryPort, token, flyAppName, forwarded } = options;
  return {
    write(batch, writeOptions) {
      const hostname = primaryHostname();
      if (hostname === null) return local.write(batch, writeOptions);
      // Copied now: the tracker clears its queue as soon as this returns.
      const sent = forwardActivity(Array.from(batch), {
        origin: primaryOrigin(hostname, primaryPort, flyAppName),
        token,
      });
      sent.then(
        () => forwarded?.("ok"),
        () => forwarded?.("failed"),
      );
      return sent;
    },
  };
}
