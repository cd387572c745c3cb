// GET /admin/members.csv: the members list under the current filter and sort, as CSV (activity.view only).
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { toCsv } from "~/lib/csv";
import { isoOrNull } from "~/lib/dates";
import { queryMembers } from "~/members/member-list.server";
import { parseMemberQuery } from "~/members/member-query";

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requirePermission(request, "activity.view");
  const searchParams = new URL(request.url).searchParams;
  searchParams.delete("page");
  const query = parseMemberQuery(searchParams, true);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  const rows = queryMembers(organization.id, query).map((member) => [
    member.name,
    member.email,
    member.roles.map((role) => role.name).join("; "),
    member.isOwner,
    member.status,
    isoOrNull(member.lastActiveAt),
    isoOrNull(member.createdAt),
  ]);
  const header = ["name", "email", "roles", "owner", "status", "last_active_at", "member_since"];
  const date = new Date().toISOString().slice(0, 10);
  return new Response(toCsv([header, ...rows]), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roster-members-${date}.csv"`,
    },
  });
}
