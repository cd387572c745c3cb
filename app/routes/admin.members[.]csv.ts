// GET /admin/members.csv: the members list under the current filter and sort, as CSV (activity.view only), streamed:
// rows are read in batches (`memberBatchReader`: short keyset reads of their own along the sort's index) and
// written as they are read (`csvResponse`), so memory stays flat and the first bytes leave before the last rows are
// read. The export is audit-logged (who, which filter) before its first byte.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { recordActivityExport } from "~/audit/audit-log.server";
import { actorOf, requirePermission } from "~/auth/session.server";
import { csvResponse } from "~/lib/csv-response.server";
import { isoOrNull } from "~/lib/dates";
import { roleNamesOf } from "~/members/member-export.server";
import { memberBatchReader } from "~/members/member-list.server";
import { exportFilter, parseMemberQuery } from "~/members/member-query";

const HEADER = ["name", "email", "roles", "owner", "status", "last_active_at", "member_since"];

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await requirePermission(request, "activity.view");
  const { organization } = context;
  const searchParams = new URL(request.url).searchParams;
  searchParams.delete("page");
  const query = parseMemberQuery(searchParams, true);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  recordActivityExport(actorOf(context), {
    label: "/admin/members.csv",
    format: "csv",
    filter: exportFilter(query),
  });
  // One `now` for the whole file: a member does not change status filter between batches.
  const now = Date.now();
  const nextBatch = memberBatchReader(organization.id, query, now);
  const date = new Date(now).toISOString().slice(0, 10);
  return csvResponse(`roster-members-${date}.csv`, HEADER, (limit) => {
    const batch = nextBatch(limit);
    const roleNames = roleNamesOf(
      organization.id,
      batch.members.map((row) => row.id),
    );
    const rows = batch.members.map((row) => [
      row.name,
      row.email,
      (roleNames.get(row.id) ?? []).join("; "),
      row.isOwner,
      row.status,
      isoOrNull(row.lastActiveAt),
      isoOrNull(row.createdAt),
    ]);
    return { rows, done: batch.done };
  });
}
