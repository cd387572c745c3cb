// GET /admin/members.csv: the members list under the current filter and sort, as CSV (activity.view only), streamed:
// rows are read in batches (`memberBatchReader`: short keyset reads of their own along the sort's index) and
// written as they are read, so memory stays flat and the first bytes leave before the last rows are read.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { recordActivityExport } from "~/audit/audit-log.server";
import { requirePermission } from "~/auth/session.server";
import { CSV_BOM, csvRow } from "~/lib/csv";
import { isoOrNull } from "~/lib/dates";
import { roleNamesOf } from "~/members/member-export.server";
import { memberBatchReader } from "~/members/member-list.server";
import { exportFilter, parseMemberQuery } from "~/members/member-query";

const HEADER = ["name", "email", "roles", "owner", "status", "last_active_at", "member_since"];
/** The first batch is small, for a fast first byte; the rest are large, for few queries. */
const FIRST_BATCH = 100;
const BATCH = 2_000;

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization, member } = await requirePermission(request, "activity.view");
  const searchParams = new URL(request.url).searchParams;
  searchParams.delete("page");
  const query = parseMemberQuery(searchParams, true);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  recordActivityExport(organization.id, member.id, {
    label: "/admin/members.csv",
    format: "csv",
    filter: exportFilter(query),
  });
  // One `now` for the whole file: a member does not change status filter between batches.
  const now = Date.now();
  const encoder = new TextEncoder();
  const nextBatch = memberBatchReader(organization.id, query, now);
  let started = false;

  // Pulled one batch at a time. Remix writes each chunk to the socket as soon as it is read, without waiting for the
  // socket to drain, so every batch after the first waits for the next turn of the event loop: other requests run in
  // between, and the socket sends what it was given before the next batch is read.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (started) await new Promise((resolve) => setImmediate(resolve));
      const limit = started ? BATCH : FIRST_BATCH;
      const batch = nextBatch(limit);
      let text = started ? "" : CSV_BOM + csvRow(HEADER);
      started = true;
      const roleNames = roleNamesOf(
        organization.id,
        batch.members.map((member) => member.id),
      );
      for (const member of batch.members) {
        text += csvRow([
          member.name,
          member.email,
          (roleNames.get(member.id) ?? []).join("; "),
          member.isOwner,
          member.status,
          isoOrNull(member.lastActiveAt),
          isoOrNull(member.createdAt),
        ]);
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (batch.done) controller.close();
    },
  });

  const date = new Date(now).toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roster-members-${date}.csv"`,
    },
  });
}
