// GET /admin/audit.csv: the audit log under the page's current filter, newest first, as CSV (members.manage only),
// streamed in keyset batches (`auditBatchReader`, `csvResponse`) like the members export.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { auditBatchReader, parseAuditQuery } from "~/audit/audit-list.server";
import { requirePermission } from "~/auth/session.server";
import { csvResponse } from "~/lib/csv-response.server";
import { isoOrNull } from "~/lib/dates";

const HEADER = ["at", "actor_member_id", "actor", "action", "target_type", "target_id", "target", "change"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requirePermission(request, "members.manage");
  const searchParams = new URL(request.url).searchParams;
  // The whole filtered log, not the page the link was on.
  searchParams.delete("after");
  searchParams.delete("before");
  const query = parseAuditQuery(searchParams);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  const nextBatch = auditBatchReader(organization.id, query);
  const date = new Date().toISOString().slice(0, 10);
  return csvResponse(`roster-audit-${date}.csv`, HEADER, (limit) => {
    const batch = nextBatch(limit);
    const rows = batch.events.map((event) => [
      isoOrNull(event.at),
      event.actorMemberId,
      event.actorMemberId === null ? "system" : event.actorLabel,
      event.action,
      event.targetType,
      event.targetId,
      event.targetLabel,
      JSON.stringify(event.change),
    ]);
    return { rows, done: batch.done };
  });
}
