// The metrics listener: Prometheus text from prom-client's global registry on its own port, never the public one.
// @ts-check
import http from "node:http";
import client from "prom-client";

/**
 * The port metrics are served on: METRICS_PORT (default 9091), or null when it is "off".
 * @param {NodeJS.ProcessEnv} env
 */
export function metricsPort(env) {
  const value = env.METRICS_PORT || "9091";
  if (value === "off") return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`METRICS_PORT must be a port number (1-65535) or "off", not "${value}".`);
  }
  return port;
}

/**
 * Starts serving GET /metrics (and nothing else) on `port`. Node's process metrics are collected from here on. A port
 * already in use is logged, not fatal: the app serves its members either way.
 * @param {{ port: number, host: string | undefined, createServer: typeof http.createServer }} options
 * @returns {http.Server}
 */
export function startMetricsServer({ port, host, createServer }) {
  client.collectDefaultMetrics();
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" || new URL(req.url ?? "/", "http://metrics.invalid").pathname !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    try {
      const body = await client.register.metrics();
      res.writeHead(200, { "Content-Type": client.register.contentType }).end(body);
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(`${/** @type {Error} */ (error).message}\n`);
    }
  });
  server.on("error", (error) => console.error(`roster: metrics are not served on port ${port}: ${error.message}`));
  server.listen(port, host, () => console.log(`roster: metrics on http://${host ?? "*"}:${port}/metrics`));
  // Never what keeps a stopping process alive: remix-serve's server decides when it is done.
  server.unref();
  return server;
}
