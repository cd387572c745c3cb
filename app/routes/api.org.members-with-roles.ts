// GET /api/org/members-with-roles: every member of the current organization with roles and last activity (activity.view only).
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { isoOrNull } from "~/lib/dates";
import { queryMembers } from "~/members/member-list.server";
import type { MemberQuery } from "~/members/member-query";

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requirePermission(request, "activity.view");
  const query: MemberQuery = { q: "", status: "all", sort: "lastActive", dir: "desc", page: 1 };
  const members = queryMembers(organization.id, query);
  return json(
    members.map((member) => ({
      member_id: member.id,
      name: member.name,
      email: member.email,
      is_owner: member.isOwner,
      last_active_at: isoOrNull(member.lastActiveAt),
      roles: member.roles.map((role) => role.name),
    })),
  );
}
