// Request metrics at the edge: a duration histogram by Remix route id, method and status class (bounded labels only).
// @ts-check
import client from "prom-client";

/** @typedef {{ id: string, parentId?: string, path?: string, index?: boolean, caseSensitive?: boolean }} BuildRoute */
/** @typedef {{ id: string, pattern: RegExp, score: number }} Branch */

/**
 * react-router's rank of a route's full path (computeScore in @remix-run/router): more segments, static ones above
 * dynamic ones, a splat last, an index route above its parent.
 * @param {string} path
 * @param {boolean} index
 */
function score(path, index) {
  const segments = path.split("/");
  let total = segments.length + (segments.includes("*") ? -2 : 0) + (index ? 2 : 0);
  for (const segment of segments) {
    if (segment !== "*") total += segment.startsWith(":") ? 3 : segment === "" ? 1 : 10;
  }
  return total;
}

/**
 * A route's full path as one regular expression, compiled once: `:param` is one segment, `*` the rest, `x?` optional,
 * a trailing slash allowed, case-insensitive unless the route says otherwise (react-router's matching).
 * @param {string} path
 * @param {boolean} caseSensitive
 */
function pattern(path, caseSensitive) {
  const source = path
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => {
      const optional = segment.endsWith("?");
      const name = optional ? segment.slice(0, -1) : segment;
      const part =
        name === "*" ? "(?:/.*)?" : name.startsWith(":") ? "/[^/]+" : `/${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      return optional ? `(?:${part})?` : part;
    })
    .join("");
  return new RegExp(`^${source}/?$`, caseSensitive ? "" : "i");
}

/**
 * The build's routes as branches to try in rank order, as react-router flattens and ranks them, with each pattern
 * compiled once (matchRoutes itself compiles every pattern on every call: about 150 µs a request here).
 * @param {Record<string, BuildRoute | undefined>} routes
 * @returns {Branch[]}
 */
function rankedBranches(routes) {
  /** @param {BuildRoute} route */
  const fullPath = (route) => {
    const parts = [];
    for (
      let at = /** @type {BuildRoute | undefined} */ (route);
      at;
      at = at.parentId ? routes[at.parentId] : undefined
    ) {
      if (at.path) parts.unshift(at.path);
    }
    return parts.join("/");
  };
  return Object.values(routes)
    .filter((route) => route !== undefined && (route.path !== undefined || route.index === true))
    .map((route) => {
      const { id, index = false, caseSensitive = false } = /** @type {BuildRoute} */ (route);
      const path = fullPath(/** @type {BuildRoute} */ (route));
      return { id, pattern: pattern(path, caseSensitive), score: score(path, index) };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * A function from a request URL to the label of the route that serves it: the deepest matching Remix route id, the
 * route a data request (`?_data=`) names, "static" for a file under /build/ or with an extension that no route
 * matches, or "none" (a 404). Never the path itself: label values stay a fixed, small set.
 * @param {Record<string, BuildRoute | undefined>} routes the server build's `routes`
 */
export function routeLabeller(routes) {
  const branches = rankedBranches(routes);
  /** @param {string} url */
  return (url) => {
    const query = url.indexOf("?");
    const pathname = query === -1 ? url : url.slice(0, query);
    if (query !== -1) {
      const data = new URLSearchParams(url.slice(query + 1)).get("_data");
      if (data !== null && routes[data] !== undefined) return data;
    }
    for (const branch of branches) if (branch.pattern.test(pathname)) return branch.id;
    if (pathname.startsWith("/build/") || /\.[a-z0-9]+$/i.test(pathname)) return "static";
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
