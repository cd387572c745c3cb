// The request metrics' route labels: the same route react-router's matchRoutes picks, from patterns compiled once.
// (The app's own routes are checked through the built server: tests/integration/metrics.test.ts.)
import { type AgnosticRouteObject, matchRoutes } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { routeLabeller } from "../../edge/request-metrics.js";

interface BuildRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}

/** The flat table as the nested tree matchRoutes takes, as Remix builds it. */
function tree(routes: Record<string, BuildRoute>, parentId?: string): AgnosticRouteObject[] {
  return Object.values(routes)
    .filter((route) => route.parentId === parentId)
    .map(({ id, path, index, caseSensitive }) =>
      index ? { id, path, index: true, caseSensitive } : { id, path, caseSensitive, children: tree(routes, id) },
    );
}

/** What matchRoutes says: the deepest match, or none. */
const reference = (routes: Record<string, BuildRoute>, pathname: string) =>
  matchRoutes(tree(routes), pathname)?.at(-1)?.route.id ?? null;

const table = (...routes: BuildRoute[]) => Object.fromEntries(routes.map((route) => [route.id, route]));

const NESTED = table(
  { id: "root", path: "" },
  { id: "routes/_index", parentId: "root", index: true },
  { id: "routes/admin", parentId: "root", path: "admin" },
  { id: "routes/admin._index", parentId: "routes/admin", index: true },
  { id: "routes/admin.$section", parentId: "routes/admin", path: ":section" },
  { id: "routes/admin.members", parentId: "routes/admin", path: "members" },
  { id: "routes/admin.members.$id", parentId: "routes/admin.members", path: ":id" },
  { id: "routes/_auth", parentId: "root" },
  { id: "routes/_auth.login", parentId: "routes/_auth", path: "login" },
  { id: "routes/files.$", parentId: "root", path: "files/*" },
  { id: "routes/Exact", parentId: "root", path: "Exact", caseSensitive: true },
);
const PATHS = [
  "/",
  "/admin",
  "/admin/",
  "/admin/members",
  "/admin/members/12",
  "/admin/members/12/x",
  "/admin/roles",
  "/ADMIN/Members",
  "/login",
  "/files",
  "/files/a/b.txt",
  "/Exact",
  "/exact",
  "/nope",
];

describe("route labels", () => {
  it("pick the route react-router's matchRoutes picks, for nested layouts, indexes, params, splats and case", () => {
    const label = routeLabeller(NESTED);
    for (const pathname of PATHS) {
      expect([pathname, label(pathname)]).toEqual([pathname, reference(NESTED, pathname) ?? "none"]);
    }
  });

  it("name a data request's route, files, and nothing else: never the path", () => {
    const label = routeLabeller(NESTED);
    expect(label("/admin/members/12?_data=routes%2Fadmin.members.%24id")).toBe("routes/admin.members.$id");
    expect(label("/admin?_data=not-a-route")).toBe("routes/admin._index");
    expect(label("/build/_shared/chunk-1.js")).toBe("static");
    expect(label("/favicon.ico")).toBe("static");
    expect(label("/some/unknown/path")).toBe("none");
  });
});
