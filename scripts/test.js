// `npm test`: typecheck, lint, build, vitest (unit + integration) and Playwright in Debian's Chromium.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, root } from "./build-if-needed.js";

const bin = (/** @type {string} */ name) => path.join(root, "node_modules", ".bin", name);

/** Finds Chromium (CHROMIUM_PATH, /usr/bin/chromium); installs Debian's package when running as root with apt. */
function ensureChromium() {
  const candidates = /** @type {string[]} */ ([process.env.CHROMIUM_PATH, "/usr/bin/chromium"].filter(Boolean));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found) return found;
  const canApt = process.getuid?.() === 0 && fs.existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error(
      "roster: no Chromium found for the end-to-end tests.\n" +
        "  Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium binary.",
    );
    process.exit(1);
  }
  console.log("roster: installing Debian's chromium for the end-to-end tests…");
  execFileSync("apt-get", ["update"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return "/usr/bin/chromium";
}

const chromium = ensureChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium };

/** @type {[name: string, command: string | null, args: string[]][]} */
const steps = [
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint and format", bin("biome"), ["check", "--error-on-warnings", "."]],
  ["build", null, []],
  ["unit and integration tests", bin("vitest"), ["run"]],
  ["end-to-end tests", bin("playwright"), ["test"]],
];

const failed = [];
for (const [name, command, args] of steps) {
  console.log(`\n── ${name} ──`);
  if (command === null) {
    buildIfNeeded();
    continue;
  }
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) failed.push(name);
}

console.log(failed.length === 0 ? "\nroster: every check passed." : `\nroster: failed: ${failed.join(", ")}`);
process.exit(failed.length === 0 ? 0 : 1);
