// Keeps post-sign-in and post-switch redirects on this site (no open redirects, no header-breaking characters).
const ORIGIN = "http://roster.invalid";

/** A same-site path (with its query) to redirect to, or the fallback for anything else. */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  // Printable ASCII only: browsers drop tabs and newlines ("/\t/evil" becomes "//evil"), and a Location header
  // cannot carry them anyway.
  if (typeof target !== "string" || !target.startsWith("/") || !/^[\x21-\x7e]+$/.test(target)) return fallback;
  const url = new URL(target, ORIGIN);
  if (url.origin !== ORIGIN || target.startsWith("//") || target.includes("\\")) return fallback;
  return `${url.pathname}${url.search}`;
}
