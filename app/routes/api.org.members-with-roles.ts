// GET /api/org/members-with-roles: the members of the current organization with roles and last activity (activity.view
// only), a page at a time: `?limit=` (default 100, at most 1,000) and the next page in a `Link: <…>; rel="next"`
// header, absent on the last page (as GitHub's API pages). The body is the same JSON array on every page.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { recordActivityExport } from "~/audit/audit-log.server";
import { actorOf, requirePermission } from "~/auth/session.server";
import { env } from "~/env.server";
import {
  API_PAGE_DEFAULT,
  API_PAGE_MAX,
  decodeCursor,
  encodeCursor,
  membersWithRolesPage,
} from "~/members/member-export.server";

function pageParameters(searchParams: URLSearchParams) {
  const limitText = searchParams.get("limit");
  const cursorText = searchParams.get("cursor");
  let limit = API_PAGE_DEFAULT;
  if (limitText !== null) {
    if (!/^[1-9]\d{0,3}$/.test(limitText) || Number(limitText) > API_PAGE_MAX) return { error: "badLimit" } as const;
    limit = Number(limitText);
  }
  let afterId = 0;
  if (cursorText !== null) {
    const decoded = decodeCursor(cursorText);
    if (decoded === null) return { error: "badCursor" } as const;
    afterId = decoded;
  }
  return { limit, afterId, explicitLimit: limitText !== null };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await requirePermission(request, "activity.view");
  const { organization } = context;
  const url = new URL(request.url);
  const parameters = pageParameters(url.searchParams);
  if ("error" in parameters) {
    const message =
      parameters.error === "badLimit"
        ? `limit must be a whole number from 1 to ${API_PAGE_MAX}`
        : "cursor must be one taken from a Link header of this API";
    return json({ error: parameters.error, message }, { status: 400 });
  }
  // Every page is an export of its own: the log says who read which page (the first, or after which member).
  recordActivityExport(actorOf(context), {
    label: url.pathname,
    format: "json",
    filter: { limit: parameters.limit, after: parameters.afterId },
  });
  const page = membersWithRolesPage(organization.id, parameters.afterId, parameters.limit);
  const headers = new Headers();
  if (page.lastId !== null) {
    const next = new URL(url.pathname, env.publicOrigin);
    if (parameters.explicitLimit) next.searchParams.set("limit", String(parameters.limit));
    next.searchParams.set("cursor", encodeCursor(page.lastId));
    headers.set("Link", `<${next}>; rel="next"`);
  }
  return json(page.members, { headers });
}
