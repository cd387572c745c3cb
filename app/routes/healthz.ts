// Health check for Fly and monitors: 200 when the database answers `select 1`, 503 otherwise.
import { json } from "@remix-run/node";
import { sqlite } from "~/db/client.server";

export function loader() {
  try {
    sqlite.prepare("select 1").get();
    return json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("healthz: database did not answer", error);
    return json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
