import { describe, expect, it } from "vitest";
import { resolvePublicOrigin } from "../../edge/public-origin.js";
import {
  declaresTooLargeBody,
  defaultResponseHeaders,
  isCrossSite,
  languageCookieOnly,
  refusalFor,
  refusedUrl,
  trustedClientAddress,
} from "../../edge/rules.js";

const PUBLIC_ORIGIN = "https://roster.example.com";
const post = (headers: Record<string, string>) => ({
  method: "POST",
  headers: { host: "roster.example.com", ...headers },
  publicOrigin: PUBLIC_ORIGIN,
});

describe("isCrossSite (Go 1.25's CrossOriginProtection)", () => {
  it("lets GET and HEAD through whatever they carry", () => {
    for (const method of ["GET", "HEAD"]) {
      expect(isCrossSite({ ...post({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }), method })).toBe(
        false,
      );
    }
  });

  it("trusts Sec-Fetch-Site when present: only same-origin and none (the user's own navigation) pass", () => {
    expect(isCrossSite(post({ "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(isCrossSite(post({ "sec-fetch-site": "none" }))).toBe(false);
    expect(isCrossSite(post({ "sec-fetch-site": "same-site" }))).toBe(true);
    expect(isCrossSite(post({ "sec-fetch-site": "cross-site" }))).toBe(true);
    // Sec-Fetch-Site wins over an Origin that would pass.
    expect(isCrossSite(post({ "sec-fetch-site": "cross-site", origin: PUBLIC_ORIGIN }))).toBe(true);
  });

  it("otherwise accepts an Origin equal to the public origin or to the Host the browser used", () => {
    expect(isCrossSite(post({ origin: PUBLIC_ORIGIN }))).toBe(false);
    expect(isCrossSite(post({ origin: "http://roster.example.com" }))).toBe(false);
    expect(isCrossSite(post({ host: "10.0.0.5:3000", origin: "http://10.0.0.5:3000" }))).toBe(false);
    expect(isCrossSite(post({ host: "ROSTER.example.com", origin: "https://roster.example.com" }))).toBe(false);
  });

  it("refuses any other Origin, another port of the same host, and Origin: null", () => {
    expect(isCrossSite(post({ origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSite(post({ origin: "https://roster.example.com:8443" }))).toBe(true);
    expect(isCrossSite(post({ origin: "https://sub.roster.example.com" }))).toBe(true);
    expect(isCrossSite(post({ origin: "null" }))).toBe(true);
    expect(isCrossSite(post({ origin: "not a url" }))).toBe(true);
    expect(
      isCrossSite({
        ...post({ origin: "http://127.0.0.1:3001" }),
        headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3001" },
      }),
    ).toBe(true);
  });

  it("lets a request with neither header through: no browser sent it, so no browser was tricked into it", () => {
    expect(isCrossSite(post({}))).toBe(false);
  });
});

describe("refusalFor", () => {
  it("refuses methods other than GET, HEAD and POST first", () => {
    for (const method of ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "PROPFIND"]) {
      expect(refusalFor({ ...post({ origin: "https://evil.example" }), method })).toBe("method");
    }
    expect(refusalFor({ ...post({}), method: "HEAD" })).toBeNull();
  });

  it("then cross-site posts, then bodies declared over 64 KiB", () => {
    expect(refusalFor(post({ origin: "https://evil.example", "content-length": "999999999" }))).toBe("crossSite");
    expect(refusalFor(post({ "content-length": String(64 * 1024 + 1) }))).toBe("tooLarge");
    expect(refusalFor(post({ "content-length": String(64 * 1024) }))).toBeNull();
    expect(refusalFor(post({ "transfer-encoding": "chunked" }))).toBeNull();
  });

  it("reads Content-Length as a number", () => {
    expect(declaresTooLargeBody({ "content-length": "65537" })).toBe(true);
    expect(declaresTooLargeBody({ "content-length": "10" })).toBe(false);
    expect(declaresTooLargeBody({})).toBe(false);
  });
});

describe("refusedUrl", () => {
  it("keeps only the language and, for data requests, points _data at the refusal route", () => {
    expect(refusedUrl("crossSite", "/login?redirectTo=%2Fadmin")).toBe("/refused/crossSite");
    expect(refusedUrl("crossSite", "/login?lng=sv&x=1")).toBe("/refused/crossSite?lng=sv");
    expect(refusedUrl("method", "/admin/members?_data=routes%2Fadmin.members&index")).toBe(
      "/refused/method?_data=routes%2Frefused.%24reason",
    );
    expect(refusedUrl("tooLarge", "*")).toBe("/refused/tooLarge");
    expect(refusedUrl("tooLarge", "http://evil.example/x?lng=en")).toBe("/refused/tooLarge?lng=en");
  });
});

describe("languageCookieOnly", () => {
  it("drops every cookie but the language choice", () => {
    expect(languageCookieOnly("__session=abc; lng=sv; other=1")).toBe("lng=sv");
    expect(languageCookieOnly("__session=abc")).toBeUndefined();
    expect(languageCookieOnly(undefined)).toBeUndefined();
    expect(languageCookieOnly("xlng=sv; lng=en")).toBe("lng=en");
  });
});

describe("trustedClientAddress", () => {
  it("is the socket's address outside Fly, whatever headers claim", () => {
    const headers = { "fly-client-ip": "203.0.113.9", "x-forwarded-for": "198.51.100.1" };
    expect(trustedClientAddress({ behindFlyProxy: false, headers, remoteAddress: "192.0.2.7" })).toBe("192.0.2.7");
  });

  it("is Fly-Client-IP behind Fly's proxy, and the socket's when the proxy did not set it", () => {
    expect(
      trustedClientAddress({
        behindFlyProxy: true,
        headers: { "fly-client-ip": " 203.0.113.9 " },
        remoteAddress: "fdaa::3",
      }),
    ).toBe("203.0.113.9");
    expect(trustedClientAddress({ behindFlyProxy: true, headers: {}, remoteAddress: "fdaa::3" })).toBe("fdaa::3");
  });

  it("reads IPv4-mapped IPv6 peers as IPv4", () => {
    expect(trustedClientAddress({ behindFlyProxy: false, headers: {}, remoteAddress: "::ffff:127.0.0.1" })).toBe(
      "127.0.0.1",
    );
    expect(trustedClientAddress({ behindFlyProxy: false, headers: {}, remoteAddress: "::1" })).toBe("::1");
  });
});

describe("defaultResponseHeaders", () => {
  it("marks responses private and unsniffable, never framed, and sends HSTS only for an https origin", () => {
    const plain = Object.fromEntries(defaultResponseHeaders({ https: false }));
    expect(plain).toMatchObject({
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
    });
    expect(plain["Permissions-Policy"]).toContain("camera=()");
    expect(plain["Strict-Transport-Security"]).toBeUndefined();
    const secure = Object.fromEntries(defaultResponseHeaders({ https: true }));
    expect(secure["Strict-Transport-Security"]).toBe("max-age=31536000");
  });
});

describe("resolvePublicOrigin", () => {
  it("defaults to the Fly app's address on Fly and to localhost elsewhere", () => {
    expect(resolvePublicOrigin({ FLY_APP_NAME: "roster-acme" })).toBe("https://roster-acme.fly.dev");
    expect(resolvePublicOrigin({ PORT: "8080" })).toBe("http://localhost:8080");
    expect(resolvePublicOrigin({})).toBe("http://localhost:3000");
  });

  it("takes a configured origin, with or without a trailing slash, over the defaults", () => {
    expect(resolvePublicOrigin({ PUBLIC_ORIGIN: "https://Roster.Example.com/", FLY_APP_NAME: "x" })).toBe(
      "https://roster.example.com",
    );
    expect(resolvePublicOrigin({ PUBLIC_ORIGIN: "http://127.0.0.1:4000" })).toBe("http://127.0.0.1:4000");
  });

  it("refuses anything that is not a bare http(s) origin", () => {
    for (const value of [
      "roster.example.com",
      "ftp://roster.example.com",
      "https://roster.example.com/app",
      "https://u:p@roster.example.com",
      "https://roster.example.com/?x=1",
    ]) {
      expect(() => resolvePublicOrigin({ PUBLIC_ORIGIN: value }), value).toThrow(/PUBLIC_ORIGIN must be/);
    }
  });
});
