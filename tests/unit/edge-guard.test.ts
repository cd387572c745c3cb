import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardRequests, installEdgeGuard } from "../../edge/guard.js";
import { rawRequest } from "../support/http";

/** What the app behind the guard saw of a request. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
}

function listen(server: http.Server) {
  return new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** The app: echoes what it saw; sets its own Cache-Control on /static. */
const app: http.RequestListener = (req, res) => {
  if (req.url === "/static") res.setHeader("Cache-Control", "public, max-age=3600");
  const seen: Seen = { method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders };
  res.setHeader("Content-Type", "application/json");
  res.end(JSON.stringify(seen));
};

describe("the guard around a request listener", () => {
  const servers: http.Server[] = [];
  let plain: string;
  let fly: string;
  beforeAll(async () => {
    servers.push(
      http.createServer(guardRequests(app, { publicOrigin: "http://localhost:3000", behindFlyProxy: false })),
    );
    servers.push(
      http.createServer(guardRequests(app, { publicOrigin: "https://roster.fly.dev", behindFlyProxy: true })),
    );
    [plain, fly] = (await Promise.all(servers.map(listen))) as [string, string];
  });
  afterAll(() => {
    for (const server of servers) server.close();
  });

  const seen = async (base: string, path: string, init: Parameters<typeof rawRequest>[2] = {}) => {
    const response = await rawRequest(base, path, init);
    return { response, seen: JSON.parse(response.body) as Seen };
  };

  it("replaces a client-supplied X-Roster-Client-Address with the socket's address", async () => {
    const { seen: request } = await seen(plain, "/", {
      headers: { "X-Roster-Client-Address": "6.6.6.6", "Fly-Client-IP": "7.7.7.7" },
    });
    expect(request.headers["x-roster-client-address"]).toBe("127.0.0.1");
    const raw = request.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    expect(raw.filter((name) => name === "x-roster-client-address")).toHaveLength(1);
    expect(request.rawHeaders).not.toContain("6.6.6.6");
  });

  it("uses Fly-Client-IP behind Fly's proxy", async () => {
    const { seen: request } = await seen(fly, "/", {
      headers: { "X-Roster-Client-Address": "6.6.6.6", "Fly-Client-IP": "203.0.113.9" },
    });
    expect(request.headers["x-roster-client-address"]).toBe("203.0.113.9");
  });

  it("turns a cross-site POST into a credential-less GET of the refusal page, keeping the language", async () => {
    const { response, seen: request } = await seen(plain, "/admin/members?_data=routes%2Fadmin.members&lng=sv", {
      method: "POST",
      headers: {
        Origin: "https://evil.example",
        Cookie: "__session=secret; lng=sv",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "intent=remove&memberId=2",
    });
    expect(response.status).toBe(200);
    expect(request.method).toBe("GET");
    expect(request.url).toBe("/refused/crossSite?lng=sv&_data=routes%2Frefused.%24reason");
    expect(request.headers.cookie).toBe("lng=sv");
    expect(request.headers["content-length"]).toBeUndefined();
    expect(request.headers["content-type"]).toBeUndefined();
    expect(request.rawHeaders.join("\n")).not.toContain("__session");
  });

  it("refuses other methods with an Allow header, and lets same-origin posts through untouched", async () => {
    const { response, seen: refused } = await seen(plain, "/login", { method: "DELETE" });
    expect(refused).toMatchObject({ method: "GET", url: "/refused/method" });
    expect(response.headers.allow).toBe("GET, HEAD, POST");
    const { seen: allowed } = await seen(plain, "/login", {
      method: "POST",
      headers: { Origin: "http://localhost:3000", Cookie: "__session=mine" },
      body: "email=a",
    });
    expect(allowed).toMatchObject({ method: "POST", url: "/login" });
    expect(allowed.headers.cookie).toBe("__session=mine");
  });

  it("fills in default headers without overriding the app's own, and HSTS only for an https origin", async () => {
    const { response } = await seen(plain, "/");
    expect(response.headers["cache-control"]).toBe("private, no-store");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["strict-transport-security"]).toBeUndefined();
    const { response: asset } = await seen(plain, "/static");
    expect(asset.headers["cache-control"]).toBe("public, max-age=3600");
    const { response: secure } = await seen(fly, "/");
    expect(secure.headers["strict-transport-security"]).toBe("max-age=31536000");
  });
});

describe("installEdgeGuard", () => {
  it("guards the servers http.createServer makes from then on (as Express's app.listen does)", async () => {
    const original = http.createServer;
    try {
      installEdgeGuard({ publicOrigin: "http://localhost:3000", behindFlyProxy: false });
      const server = http.createServer(app);
      const base = await listen(server);
      const response = await rawRequest(base, "/", { method: "TRACE" });
      expect(JSON.parse(response.body)).toMatchObject({ method: "GET", url: "/refused/method" });
      server.close();
    } finally {
      http.createServer = original;
    }
  });
});
