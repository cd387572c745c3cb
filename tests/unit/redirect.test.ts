import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/lib/redirect";

const APP = "https://app.example";

/** What a browser does with a `Location: <result>` header on a page of the app. */
function followed(result: string, from = `${APP}/login?redirectTo=x`) {
  return new URL(result, from);
}

function expectSameOriginPath(result: string) {
  expect(result).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
  for (const from of [`${APP}/`, `${APP}/login?redirectTo=x`, `${APP}/a/b/c/`]) {
    const url = followed(result, from);
    expect(url.origin).toBe(APP);
    // Parsed again it normalises to itself: nothing left for a second resolution to reinterpret.
    expect(`${url.pathname}${url.search}`).toBe(result);
  }
  expect(safeRedirectPath(result)).toBe(result);
}

// Pieces that have opened redirects somewhere: dot segments (plain and encoded), slashes and backslashes (plain and
// encoded), whitespace and control characters a URL parser strips, schemes, user-info, look-alike unicode.
const HOSTILE_PIECES = [
  "/",
  "//",
  "\\",
  "/\\",
  ".",
  "..",
  "./",
  "../",
  "%2e",
  "%2E",
  "%2e%2e",
  ".%2e",
  "%2f",
  "%2F",
  "%5c",
  "%5C",
  "%09",
  "%0a",
  "%00",
  "\t",
  "\n",
  "\r",
  "\u0000",
  "\u001f",
  "\u007f",
  " ",
  "\u00a0",
  "@",
  ":",
  "?",
  "#",
  "&",
  "=",
  "evil.example",
  "evil.example:443",
  "user:pass@evil.example",
  "javascript:",
  "javascript:alert(1)",
  "data:text/html,x",
  "http:",
  "http://",
  "https://evil.example",
  "HTTPS:",
  "//evil.example",
  "\\\\evil.example",
  "\u3002",
  "\uff0f",
  "\uff0e",
  "\u2215",
  "é",
  "\ud83d\ude00",
  "\u202e",
  "a",
  "admin",
  "members",
];

const hostilePiece = fc.oneof(
  fc.constantFrom(...HOSTILE_PIECES),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 6 }),
);
const hostileTarget = fc.oneof(
  fc.array(hostilePiece, { maxLength: 12 }).map((pieces) => pieces.join("")),
  // Most pass the "starts with one slash" gate, so the normalisation itself is what gets tested.
  fc.array(hostilePiece, { maxLength: 12 }).map((pieces) => `/${pieces.join("")}`),
  fc.string({ unit: "binary", maxLength: 40 }),
);

describe("safeRedirectPath", () => {
  it.each([
    ["/.//evil.example/x"],
    ["/a/..//evil.example/x"],
    ["/%2e//evil.example/x"],
    ["/%2E%2E//evil.example/x"],
    ["/a/b/../..//evil.example/x"],
    ["/.%2e//evil.example/x"],
    ["/./\\evil.example/x"],
    ["/\\evil.example/x"],
    ["/\t/evil.example/x"],
    ["/\n/evil.example/x"],
    ["//evil.example/x"],
    ["///evil.example/x"],
    ["https://evil.example/x"],
    ["javascript:alert(1)"],
    ["/javascript:alert(1)//"],
    [" /x"],
    ["/a\r\nSet-Cookie: x=1"],
  ])("never sends a browser off-site for %j", (target) => {
    const result = safeRedirectPath(target);
    expectSameOriginPath(result);
    expect(result).not.toContain("evil.example/x");
  });

  it("answers the finding's example with the fallback, not //evil.example/x", () => {
    expect(safeRedirectPath("/.//evil.example/x")).toBe("/");
    expect(safeRedirectPath("/a/..//evil.example/x", "/home")).toBe("/home");
  });

  it("keeps the app's own paths and queries as they are", () => {
    for (const path of [
      "/",
      "/admin/members?sort=name&dir=asc",
      "/login?redirectTo=%2Fsettings%2Fprofile",
      "/settings/profile",
      "/admin/members?q=%C3%A5sa",
    ]) {
      expect(safeRedirectPath(path)).toBe(path);
    }
  });

  it("drops a fragment and normalises harmless dot segments", () => {
    expect(safeRedirectPath("/a/./b/../c?x=1#top")).toBe("/a/c?x=1");
  });

  it("property: whatever the input, the result stays on the app's origin and is its own normal form", () => {
    fc.assert(
      fc.property(hostileTarget, (target) => {
        expectSameOriginPath(safeRedirectPath(target));
      }),
      { numRuns: 5000 },
    );
  });

  it("property: a plain same-site path comes back unchanged (the check does not refuse real pages)", () => {
    const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,11}$/);
    const query = fc.array(fc.tuple(segment, segment), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), query, (segments, pairs) => {
        const search = pairs.length ? `?${pairs.map(([name, value]) => `${name}=${value}`).join("&")}` : "";
        const path = `/${segments.join("/")}${search}`;
        expect(safeRedirectPath(path)).toBe(path);
      }),
    );
  });
});
