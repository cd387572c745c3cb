// The one safe-redirect function: whatever it is given, it returns a path on this site (no open redirects).
const ORIGIN = "https://roster.invalid";
const MAX_LENGTH = 2048;
// One leading slash, then printable ASCII only: no "//" or "/\" (protocol-relative), no spaces or control characters
// (browsers drop tabs and newlines, so "/\t/evil" would become "//evil"; a Location header cannot carry them anyway).
const SAME_ORIGIN_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/**
 * A same-origin path (with its query, without a fragment) to redirect to, or the fallback for anything else.
 *
 * The target must already look like such a path (the app's own links are percent-encoded ASCII), and the check runs
 * again on the *result*: the target is resolved the way a browser resolves it (dot segments, `%2e`,
 * backslashes, tabs), and what comes out must be a plain path that resolves to itself again — so a browser
 * following the `Location` header cannot land on another origin (`/.//evil.example` normalises to `//evil.example`).
 */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || target.length > MAX_LENGTH || !SAME_ORIGIN_PATH.test(target)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(target, ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== ORIGIN) return fallback;
  const path = pathOf(resolved);
  if (path.length > MAX_LENGTH || !SAME_ORIGIN_PATH.test(path)) return fallback;
  const again = new URL(path, ORIGIN);
  return again.origin === ORIGIN && pathOf(again) === path ? path : fallback;
}
