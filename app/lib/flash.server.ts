// Post/Redirect/Get: a successful action redirects, carrying a one-time translated message to the next page.
import { createCookie, redirect } from "@remix-run/node";
import { env } from "~/env.server";
import type { Flash } from "./forms";

// Signed, httpOnly, gone after a minute or after the first page that shows it.
const flashCookie = createCookie("__flash", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: env.cookieSecure,
  secrets: env.sessionSecrets,
  maxAge: 60,
});

/** The page a form was posted from (without Remix's own `_data`/`index` parameters): where a success returns to. */
export function formPage(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  url.searchParams.delete("index");
  return `${url.pathname}${url.search}`;
}

/** Redirects after a successful action (to the form's page unless `to` is given) with a flash message. */
export async function redirectWithFlash(
  request: Request,
  flash: Flash,
  { to = formPage(request), headers = {} }: { to?: string; headers?: HeadersInit } = {},
): Promise<Response> {
  const responseHeaders = new Headers(headers);
  responseHeaders.append("Set-Cookie", await flashCookie.serialize(flash));
  return redirect(to, { headers: responseHeaders });
}

function isFlash(value: unknown): value is Flash {
  return typeof value === "object" && value !== null && typeof (value as Flash).key === "string";
}

/** The flash message waiting for this request, if any, and the header that removes it once shown. */
export async function takeFlash(request: Request): Promise<{ flash: Flash | null; headers: HeadersInit }> {
  const cookieHeader = request.headers.get("Cookie");
  if (!cookieHeader?.includes("__flash=")) return { flash: null, headers: {} };
  const value: unknown = await flashCookie.parse(cookieHeader);
  return {
    flash: isFlash(value) ? value : null,
    headers: { "Set-Cookie": await flashCookie.serialize("", { maxAge: 0 }) },
  };
}
