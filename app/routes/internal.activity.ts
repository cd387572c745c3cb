// POST /internal/activity: a LiteFS replica's activity writes, applied by the primary (docs/decisions/018-litefs-multi-node.md).
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { z } from "zod";
import { applyForwardedActivity } from "~/activity/activity.server";
import { FORWARD_BATCH_MEMBERS } from "~/activity/forward.server";
import { writeFailure } from "~/db/write.server";
import { env } from "~/env.server";
import { readBodyBytes } from "~/lib/body.server";
import { hasInternalToken } from "~/lib/internal-token.server";
import { primaryHostnameIfReplica } from "~/lib/replica.server";
import { metrics } from "~/metrics/metrics.server";

const epochMs = z.number().int().nonnegative();
const batchSchema = z.object({
  writes: z
    .array(z.object({ memberId: z.number().int().positive(), at: epochMs, notAfter: epochMs }).strict())
    .max(FORWARD_BATCH_MEMBERS),
});

function answer(outcome: string, status: number, body: object = { error: outcome }) {
  metrics.activityForwardsReceived.inc({ outcome });
  return json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (!hasInternalToken(request, env.internalApiToken)) return answer("unauthorized", 401);
  // Only the primary can write; a replica that was sent this (the primary moved) says so, and the sender retries.
  if (primaryHostnameIfReplica() !== null) return answer("notPrimary", 409);
  let batch: z.infer<typeof batchSchema>;
  try {
    batch = batchSchema.parse(JSON.parse(new TextDecoder().decode(await readBodyBytes(request))));
  } catch (error) {
    if (error instanceof Response) throw error;
    return answer("invalid", 400);
  }
  try {
    return answer("applied", 200, { unchanged: applyForwardedActivity(batch.writes) });
  } catch (error) {
    if (writeFailure(error) === null) throw error;
    return answer("failed", 503);
  }
}

export function loader() {
  return json({ error: "method" }, { status: 405, headers: { Allow: "POST" } });
}
