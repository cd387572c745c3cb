// The app server: `node scripts/serve.js build/index.js` is remix-serve (unchanged) with the HTTP edge guard in front.
// remix-serve has no middleware hook, so this installs the guard around http.createServer, then runs its CLI in this
// process; the CLI reads the build path from process.argv[2], as it does when run directly. See
// docs/decisions/007-http-edge-guard.md. Metrics are served by this same process on METRICS_PORT
// (docs/decisions/019-metrics.md).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installBackpressure } from "../edge/backpressure.js";
import { installEdgeGuard } from "../edge/guard.js";
import { metricsPort, startMetricsServer } from "../edge/metrics-server.js";
import { resolvePublicOrigin } from "../edge/public-origin.js";
import { redactStream } from "../edge/redact-logs.js";
import { requestObserver, routeLabeller } from "../edge/request-metrics.js";

// First, so that nothing written later (remix-serve's request log, errors) can carry a token.
redactStream(process.stdout);
redactStream(process.stderr);

/** @type {string} */
let publicOrigin;
/** @type {number | null} */
let metricsOn;
try {
  publicOrigin = resolvePublicOrigin(process.env);
  metricsOn = metricsPort(process.env);
} catch (error) {
  console.error(`roster: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}
// The server build, imported by the very URL remix-serve's CLI imports it by (the file's mtime as its query), so this
// is the same module instance, not a second copy: its route table names the routes in the request metrics.
const buildPath = path.resolve(process.argv[2] ?? "build/index.js");
const buildUrl = `${pathToFileURL(buildPath).href}?t=${fs.statSync(buildPath).mtimeMs}`;
const build = /** @type {{ routes: Parameters<typeof routeLabeller>[0] }} */ (await import(buildUrl));

// Fly's proxy sets Fly-Client-IP and overwrites any a client sent; elsewhere only the socket's address is trusted.
const createUnguardedServer = installEdgeGuard({
  publicOrigin,
  behindFlyProxy: Boolean(process.env.FLY_APP_NAME),
  observe: requestObserver(routeLabeller(build.routes)),
});
// Its own listener, not a route of the app: the public port never answers /metrics.
if (metricsOn !== null) {
  startMetricsServer({ port: metricsOn, host: process.env.HOST, createServer: createUnguardedServer });
}

// Streamed bodies (the members CSV) wait for the socket instead of piling up in memory for a slow client.
installBackpressure();

await import("@remix-run/serve/dist/cli.js");
