// Request metrics at the edge: a duration histogram by Remix route id, method and status class (bounded labels only).
// @ts-check
import { matchRoutes } from "@remix-run/router";
import client from "prom-client";

/** @typedef {{ id: string, parentId?: string, path?: string, index?: boolean, caseSensitive?: boolean }} BuildRoute */
/** @typedef {{ id: string, path?: string, index?: boolean, caseSensitive?: boolean, children: RouteNode[] }} RouteNode */

/**
 * The build's flat route table as the nested tree react-router matches against (what Remix itself does per request).
 * @param {Record<string, BuildRoute | undefined>} routes
 * @param {string | undefined} parentId
 * @returns {RouteNode[]}
 */
function routeTree(routes, parentId = undefined) {
  return Object.values(routes)
    .filter((route) => route !== undefined && route.parentId === parentId)
    .map((route) => {
      const { id, path, index, caseSensitive } = /** @type {BuildRoute} */ (route);
      return { id, path, index, caseSensitive, children: routeTree(routes, id) };
    });
}

/**
 * A function from a request URL to the label of the route that serves it: the deepest matching Remix route id, the
 * route a data request (`?_data=`) names, "static" for a file under /build/ or with an extension that no route
 * matches, or "none" (a 404). Never the path itself: label values stay a fixed, small set.
 * @param {Record<string, BuildRoute | undefined>} routes the server build's `routes`
 */
export function routeLabeller(routes) {
  // Remix's route objects are react-router's, minus the loaders: matching reads only id, path, index, caseSensitive.
  const tree = /** @type {import("@remix-run/router").AgnosticRouteObject[]} */ (
    /** @type {unknown} */ (routeTree(routes))
  );
  /** @param {string} url */
  return (url) => {
    const parsed = new URL(url, "http://roster.invalid");
    const data = parsed.searchParams.get("_data");
    if (data !== null && routes[data] !== undefined) return data;
    const matches = matchRoutes(tree, parsed.pathname);
    const deepest = matches?.at(-1)?.route.id;
    if (deepest !== undefined) return deepest;
    if (parsed.pathname.startsWith("/build/") || /\.[a-z0-9]+$/i.test(parsed.pathname)) return "static";
    return "none";
  };
}

/** Prometheus's convention for HTTP latency, stretched to the CSV export's seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** @param {number} status */
const statusClass = (status) => `${Math.floor(status / 100)}xx`;

/**
 * Observes every request's duration (until the response is finished or the connection closes) by route, method and
 * status class, in prom-client's global registry.
 * @param {(url: string) => string} labelOf
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void}
 */
export function requestObserver(labelOf) {
  const duration = new client.Histogram({
    name: "roster_http_request_duration_seconds",
    help: "HTTP requests by Remix route id, method and status class: count and duration until the response ended",
    labelNames: ["route", "method", "status"],
    buckets: BUCKETS,
  });
  return (req, res) => {
    const started = process.hrtime.bigint();
    // Read before the guard rewrites a refused request (it becomes the refusal route, which is what answers).
    const method = req.method ?? "";
    let observed = false;
    const observe = () => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe({ route: labelOf(req.url ?? "/"), method, status: statusClass(res.statusCode) }, seconds);
    };
    res.once("finish", observe);
    res.once("close", observe);
  };
}
