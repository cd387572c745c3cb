// POST: switches the session's current organization to another one where the user is an active member.
import { type ActionFunctionArgs, json, redirect } from "@remix-run/node";
import { requireSession } from "~/auth/session.server";
import { redirectSignedIn } from "~/auth/sign-in.server";
import { readFormData } from "~/lib/forms.server";
import { parseId } from "~/lib/ids";
import { listUserOrganizations } from "~/organizations/organizations.server";

export async function action({ request }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const organizationId = parseId((await readFormData(request)).get("organizationId"));
  if (organizationId === null) throw json({ reason: "badRequest" }, { status: 400 });
  if (!listUserOrganizations(user.id).some((organization) => organization.id === organizationId)) {
    throw json({ reason: "notMember" }, { status: 403 });
  }
  return redirectSignedIn(request, { userId: user.id, organizationId, sessionId });
}

export function loader() {
  return redirect("/");
}
