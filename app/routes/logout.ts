// POST /logout ends the session (row deleted, cookie cleared); a GET just goes home.
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { destroySession } from "~/auth/session.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await destroySession(request) } });
}

export function loader() {
  return redirect("/");
}
