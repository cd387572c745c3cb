// Runs `remix build` when build/index.js is missing or older than the sources (used by start, tests and bench).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
export const serverBuild = path.join(root, "build", "index.js");

/**
 * The newest modification time of a file, or of anything under a folder (ms).
 * @param {string} target
 * @returns {number}
 */
function newestMtime(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

export function buildIfNeeded() {
  const builtAt = fs.existsSync(serverBuild) ? fs.statSync(serverBuild).mtimeMs : 0;
  // A deployed image (Dockerfile) carries the build but not app/: there is nothing to rebuild from.
  if (builtAt > 0 && !fs.existsSync(path.join(root, "app"))) return;
  // edge/ too: the app imports the guard's shared modules (PUBLIC_ORIGIN, limits, refusal statuses).
  const sources = ["app", "edge", "remix.config.js", "package.json"].map((entry) => path.join(root, entry));
  if (builtAt > Math.max(...sources.map(newestMtime))) return;
  console.log("roster: building the app…");
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio: "inherit",
    // Always a production build: under vitest NODE_ENV is "test", which would build with the dev JSX runtime.
    env: { ...process.env, NODE_ENV: "production" },
  });
}

if (process.argv[1] === import.meta.filename) buildIfNeeded();
