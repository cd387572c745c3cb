// Where the edge guard (edge/guard.js) sends a request it refuses, so the error page explains it in the visitor's language.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { REFUSAL_STATUS } from "../../edge/rules.js";

// Served in place of whatever URL was refused, so the browser's address and the page's route differ: the page is
// plain HTML with no scripts to hydrate (a mismatch would make React throw), and its forms work without them.
export const handle = { hydrate: false };

export function loader({ params }: LoaderFunctionArgs) {
  const reason = params.reason ?? "";
  if (Object.hasOwn(REFUSAL_STATUS, reason)) {
    throw json({ reason }, { status: REFUSAL_STATUS[reason as keyof typeof REFUSAL_STATUS] });
  }
  throw json({ reason: "notFound" }, { status: 404 });
}

/** Never shown (the loader always throws to the root's ErrorBoundary); a component keeps this a page, not a resource route. */
export default function Refused() {
  return null;
}
