// The app server: `node scripts/serve.js build/index.js` is remix-serve (unchanged) with the HTTP edge guard in front.
// remix-serve has no middleware hook, so this installs the guard around http.createServer, then runs its CLI in this
// process; the CLI reads the build path from process.argv[2], as it does when run directly. See
// docs/decisions/007-http-edge-guard.md.
import { installBackpressure } from "../edge/backpressure.js";
import { installEdgeGuard } from "../edge/guard.js";
import { resolvePublicOrigin } from "../edge/public-origin.js";
import { redactStream } from "../edge/redact-logs.js";

// First, so that nothing written later (remix-serve's request log, errors) can carry a token.
redactStream(process.stdout);
redactStream(process.stderr);

/** @type {string} */
let publicOrigin;
try {
  publicOrigin = resolvePublicOrigin(process.env);
} catch (error) {
  console.error(`roster: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}
// Fly's proxy sets Fly-Client-IP and overwrites any a client sent; elsewhere only the socket's address is trusted.
installEdgeGuard({ publicOrigin, behindFlyProxy: Boolean(process.env.FLY_APP_NAME) });

// Streamed bodies (the members CSV) wait for the socket instead of piling up in memory for a slow client.
installBackpressure();

await import("@remix-run/serve/dist/cli.js");
