// The edge guard's decisions as pure functions of a request's method, headers and socket address (see guard.js).
// @ts-check
import { MAX_BODY_BYTES } from "./limits.js";

/** @typedef {"crossSite" | "method" | "tooLarge"} Refusal */
/** @typedef {Record<string, string | string[] | undefined>} RequestHeaders node's IncomingHttpHeaders: lower-case names */

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"];

/** What each refusal answers; the app's `refused.$reason` route throws these statuses. */
export const REFUSAL_STATUS = /** @type {const} */ ({ crossSite: 403, method: 405, tooLarge: 413 });

/** The app route a refused request is turned into, so the app's error page explains it in the visitor's language. */
export const REFUSED_ROUTE_ID = "routes/refused.$reason";

/**
 * The request header carrying the client's address as the guard established it (any value a client sent is
 * replaced). The app reads it, e.g. for per-address sign-in limits; nothing else in a request says who is calling.
 */
export const CLIENT_ADDRESS_HEADER = "x-roster-client-address";

/** The language cookie the app reads (app/i18n/i18next.server.ts): the one cookie a refused request keeps. */
const LANGUAGE_COOKIE = "lng";

/** @param {string | string[] | undefined} value */
const single = (value) => (Array.isArray(value) ? value.join(", ") : value);

/**
 * Whether a request that changes state may have been made by another site, by the algorithm of Go 1.25's
 * CrossOriginProtection: browsers send `Sec-Fetch-Site` (then only `same-origin` and `none`, a user's own
 * navigation, pass) or at least `Origin` (then it must be our public origin or match the Host the browser used);
 * a request with neither comes from no browser, so no browser can be tricked into sending it.
 * GET and HEAD never change anything and pass. `Origin: null` (sandboxed frames, data: URLs) is refused.
 * @param {{ method: string, headers: RequestHeaders, publicOrigin: string }} request
 */
export function isCrossSite({ method, headers, publicOrigin }) {
  if (method === "GET" || method === "HEAD") return false;
  const secFetchSite = single(headers["sec-fetch-site"]);
  if (secFetchSite) return secFetchSite !== "same-origin" && secFetchSite !== "none";
  const origin = single(headers.origin);
  if (!origin) return false;
  if (origin === publicOrigin) return false;
  let host;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  return host === "" || host !== single(headers.host)?.toLowerCase();
}

/**
 * Whether the declared body is over the cap. A chunked body declares nothing: the app counts it as it reads
 * (app/lib/body.server.ts).
 * @param {RequestHeaders} headers
 */
export function declaresTooLargeBody(headers, maxBytes = MAX_BODY_BYTES) {
  const length = single(headers["content-length"]);
  return length !== undefined && Number(length) > maxBytes;
}

/**
 * Why the request is refused, or null to let it through: first the method, then where it comes from, then its size.
 * @param {{ method: string, headers: RequestHeaders, publicOrigin: string }} request
 * @returns {Refusal | null}
 */
export function refusalFor(request) {
  if (!ALLOWED_METHODS.includes(request.method)) return "method";
  if (isCrossSite(request)) return "crossSite";
  if (declaresTooLargeBody(request.headers)) return "tooLarge";
  return null;
}

/**
 * The URL a refused request is rewritten to (a GET): the refusal page, in the language the original asked for
 * (`?lng=`), and as the refusal route's data when the original was a data request (`?_data=`).
 * @param {Refusal} refusal
 * @param {string} originalUrl
 */
export function refusedUrl(refusal, originalUrl) {
  let original;
  try {
    original = new URL(originalUrl, "http://roster.invalid").searchParams;
  } catch {
    original = new URLSearchParams();
  }
  const search = new URLSearchParams();
  const language = original.get("lng");
  if (language !== null) search.set("lng", language);
  if (original.has("_data")) search.set("_data", REFUSED_ROUTE_ID);
  const query = search.toString();
  return `/refused/${refusal}${query ? `?${query}` : ""}`;
}

/**
 * The Cookie header a refused request keeps: only the language choice. It reaches the app without credentials, so
 * nothing can act, or even count as activity, on the signed-in user's behalf.
 * @param {string | undefined} cookieHeader
 * @returns {string | undefined}
 */
export function languageCookieOnly(cookieHeader) {
  const kept = (cookieHeader ?? "")
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair.split("=")[0]?.trim() === LANGUAGE_COOKIE);
  return kept.length > 0 ? kept.join("; ") : undefined;
}

/**
 * The client's address: behind Fly's proxy (which overwrites any Fly-Client-IP a client sends) that header,
 * otherwise the TCP peer. IPv4 peers on a dual-stack socket (`::ffff:1.2.3.4`) read as plain IPv4.
 * @param {{ behindFlyProxy: boolean, headers: RequestHeaders, remoteAddress: string | undefined }} request
 */
export function trustedClientAddress({ behindFlyProxy, headers, remoteAddress }) {
  const flyClientIp = behindFlyProxy ? single(headers["fly-client-ip"])?.trim() : undefined;
  const address = flyClientIp || remoteAddress || "";
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice("::ffff:".length) : address;
}

/** Features Roster never uses, switched off for it and anything it could be made to embed. */
const PERMISSIONS_POLICY = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "magnetometer",
  "microphone",
  "payment",
  "usb",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

/**
 * Headers every response gets unless whoever made it set its own (static files set their own Cache-Control).
 * The documents' Content-Security-Policy is not here: it carries a per-render nonce (app/entry.server.tsx).
 * HSTS only when the public origin is https: browsers ignore it over http, and it must not pin localhost.
 * @param {{ https: boolean }} options
 * @returns {[string, string][]}
 */
export function defaultResponseHeaders({ https }) {
  return [
    // Pages, data requests, the CSV export and the API carry members' names, emails and activity.
    ["Cache-Control", "private, no-store"],
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", "DENY"],
    ["Referrer-Policy", "same-origin"],
    ["Permissions-Policy", PERMISSIONS_POLICY],
    ...(https ? /** @type {[string, string][]} */ ([["Strict-Transport-Security", "max-age=31536000"]]) : []),
  ];
}
