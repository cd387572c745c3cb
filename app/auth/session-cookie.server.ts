// The session cookie — its name, options and lifetime — without the database: the session helper builds it from the
// environment, and tests and the bench build the same cookie to sign people in (docs/decisions/002-server-side-sessions.md).
import { type Cookie, type CookieOptions, createCookie } from "@remix-run/node";
import { DAY } from "~/lib/time";

export const SESSION_COOKIE_NAME = "__session";

/** How long a session lasts from sign-in: its row's expiry and the cookie's Max-Age. */
export const SESSION_TTL_MS = 30 * DAY;

export interface SessionCookieSettings {
  /** SESSION_SECRET's values, newest first: the first signs, every one verifies. */
  secrets: string[];
  /** Secure (HTTPS only): on in production unless COOKIE_SECURE says otherwise. */
  secure: boolean;
}

/** The cookie's options: it carries only the signed random session id, never to scripts, and to every path. */
export function sessionCookieOptions({ secrets, secure }: SessionCookieSettings): CookieOptions {
  return { httpOnly: true, sameSite: "lax", path: "/", secure, secrets, maxAge: SESSION_TTL_MS / 1000 };
}

export function createSessionCookie(settings: SessionCookieSettings): Cookie {
  return createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(settings));
}
