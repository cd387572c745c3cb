// The HTTP edge guard: runs before remix-serve's Express app on every request (installed by scripts/serve.js).
// @ts-check
import http from "node:http";
import {
  ALLOWED_METHODS,
  CLIENT_ADDRESS_HEADER,
  defaultResponseHeaders,
  languageCookieOnly,
  refusalFor,
  refusedUrl,
  trustedClientAddress,
} from "./rules.js";

/**
 * Replaces (or, with `undefined`, removes) a request header in both of node's views of it: `headers`, which
 * Express and Remix read, and `rawHeaders`.
 * @param {http.IncomingMessage} req
 * @param {string} name lower-case
 * @param {string | undefined} value
 */
function setRequestHeader(req, name, value) {
  delete req.headers[name];
  const raw = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() !== name) raw.push(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  }
  if (value !== undefined) {
    req.headers[name] = value;
    raw.push(name, value);
  }
  req.rawHeaders = raw;
}

/**
 * Fills in the default headers just before the response's head goes out, so that whatever the app or the static
 * file server set wins (Express appends Remix's headers, so setting them earlier would send both values).
 * @param {http.ServerResponse} res
 * @param {[string, string][]} defaults
 */
function fillInHeadersOnWrite(res, defaults) {
  const writeHead = res.writeHead;
  /** @type {typeof res.writeHead} */
  const withDefaults = (/** @type {any[]} */ ...args) => {
    for (const [name, value] of defaults) if (!res.hasHeader(name)) res.setHeader(name, value);
    return writeHead.apply(res, /** @type {any} */ (args));
  };
  res.writeHead = withDefaults;
}

/**
 * @typedef {object} GuardOptions
 * @property {string} publicOrigin
 * @property {boolean} behindFlyProxy
 * @property {http.RequestListener} [observe] sees every request first, as it arrived (the request metrics)
 */

/**
 * Wraps a request listener with the guard: sets the trusted client address, fills in default response headers, and
 * turns refused requests into a GET of the app's refusal page (a translated 403, 405 or 413; nothing runs on the
 * original route). The original body is never read.
 * @param {http.RequestListener} listener
 * @param {GuardOptions} options
 * @returns {http.RequestListener}
 */
export function guardRequests(listener, { publicOrigin, behindFlyProxy, observe }) {
  const defaults = defaultResponseHeaders({ https: publicOrigin.startsWith("https:") });
  /** @this {http.Server} @type {http.RequestListener} */
  return function guarded(req, res) {
    observe?.(req, res);
    const { headers } = req;
    const address = trustedClientAddress({ behindFlyProxy, headers, remoteAddress: req.socket.remoteAddress });
    setRequestHeader(req, CLIENT_ADDRESS_HEADER, address);
    fillInHeadersOnWrite(res, defaults);

    const refusal = refusalFor({ method: req.method ?? "", headers, publicOrigin });
    if (refusal) {
      if (refusal === "method") res.setHeader("Allow", ALLOWED_METHODS.join(", "));
      req.url = refusedUrl(refusal, req.url ?? "/");
      req.method = "GET";
      setRequestHeader(req, "cookie", languageCookieOnly(single(headers.cookie)));
      for (const name of ["content-length", "transfer-encoding", "content-type"])
        setRequestHeader(req, name, undefined);
    }
    listener.call(this, req, res);
  };
}

/** @param {string | string[] | undefined} value */
const single = (value) => (Array.isArray(value) ? value.join("; ") : value);

/**
 * Puts the guard in front of every HTTP server this process creates from now on. remix-serve creates exactly one
 * (Express's `app.listen` calls `http.createServer(app)`) and has no hook of its own.
 * @param {GuardOptions} options
 * @returns {typeof http.createServer} the unguarded original, for servers that are not the app (metrics)
 */
export function installEdgeGuard(options) {
  const createServer = http.createServer;
  /** @type {any} */ (http).createServer = (/** @type {any[]} */ ...args) => {
    const index = args.findIndex((arg) => typeof arg === "function");
    if (index === -1) throw new Error("edge guard: http.createServer without a request listener is not guarded");
    args[index] = guardRequests(args[index], options);
    return /** @type {any} */ (createServer)(...args);
  };
  return createServer;
}
