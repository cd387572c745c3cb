// `npm run bench`: what activity tracking costs, then a bounded soak; prints tables, writes bench/RESULTS.md (`-- soak`: soak only).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded, root } from "../scripts/build-if-needed.js";
import { CONNECTIONS, measureHttp } from "./http";
import { measureInProcess } from "./in-process";
import { membersBench, membersMarkdown } from "./members";
import { SOAK_DEFAULT_SECONDS, soak, soakMarkdown } from "./soak";
import { sweepBench, sweepMarkdown } from "./sweep";

const args = process.argv.slice(2);
/** `npm run bench -- soak`, `-- members` or `-- sweep` runs that part alone (and replaces only its section of RESULTS.md). */
const only = args.find((arg) => arg === "soak" || arg === "members" || arg === "activity" || arg === "sweep");
const quick = args.includes("--quick");
const soakSeconds = Number(
  args.find((arg) => arg.startsWith("--seconds="))?.slice("--seconds=".length) ??
    process.env.SOAK_SECONDS ??
    SOAK_DEFAULT_SECONDS,
);
if (!Number.isInteger(soakSeconds) || soakSeconds < 1 || soakSeconds > 3600) {
  console.error("roster bench: the soak's --seconds (or SOAK_SECONDS) must be a whole number from 1 to 3600");
  process.exit(2);
}

const started = Date.now();
buildIfNeeded();
const dir = path.join(root, "bench", ".tmp", new Date(started).toISOString().replace(/[:.]/g, "-"));
fs.mkdirSync(dir, { recursive: true });
const log = (line: string) => console.log(line);
const resultsFile = path.join(root, "bench", "RESULTS.md");
const fmt = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const commit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();

/** Where and when a part of the bench ran: its numbers mean little without the machine's load. */
function machine(partStarted: number, loadAtStart: number[]): string {
  const cpus = os.cpus();
  return [
    `- date: ${new Date(partStarted).toISOString()}`,
    `- commit: ${commit}`,
    `- cpu: ${cpus[0]?.model ?? "unknown"} × ${cpus.length} (available parallelism ${os.availableParallelism()})`,
    `- load average at start: ${loadAtStart.map((load) => load.toFixed(2)).join(", ")}`,
    `- memory: ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; node ${process.version}; ${os.type()} ${os.release()}`,
    `- time taken: ${fmt((Date.now() - partStarted) / 1000)} s`,
  ].join("\n");
}

async function activityBench(): Promise<string> {
  const loadAtStart = os.loadavg();
  log("roster bench: HTTP load on the built server (loopback)…");
  const http = await measureHttp(dir, log);
  log("roster bench: in-process measurements…");
  const inProcess = await measureInProcess(dir);

  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  const throughputRatio = http.pairRatio.median;
  const flushRatio = inProcess.flush.trackerFlushPerSecond / inProcess.flush.rawSamePerSecond;
  const rows: [string, string, string][] = [
    [
      "Authenticated page `/`, tracking on: throughput (slowest–fastest round)",
      `${fmt(http.on.requestsPerSecond)} req/s (${fmt(http.on.roundRange[0])}–${fmt(http.on.roundRange[1])})`,
      "",
    ],
    [
      "… tracking off: throughput (slowest–fastest round)",
      `${fmt(http.off.requestsPerSecond)} req/s (${fmt(http.off.roundRange[0])}–${fmt(http.off.roundRange[1])})`,
      "",
    ],
    [
      "Throughput on/off: median of 5 back-to-back pairs (lowest–highest pair)",
      `${fmt(throughputRatio, 3)} (${fmt(http.pairRatio.range[0], 3)}–${fmt(http.pairRatio.range[1], 3)})`,
      `≥ 0.98: ${verdict(throughputRatio >= 0.98)}`,
    ],
    [
      "Server CPU per request, tracking on / off (user + system, /proc)",
      `${fmt(http.on.cpuPerRequestUs)} / ${fmt(http.off.cpuPerRequestUs)} µs`,
      "",
    ],
    [
      "Throughput on/off implied by server CPU per request: median of the pairs' off/on (lowest–highest pair)",
      `${fmt(http.cpuRatio.median, 3)} (${fmt(http.cpuRatio.range[0], 3)}–${fmt(http.cpuRatio.range[1], 3)})`,
      `≥ 0.98: ${verdict(http.cpuRatio.median >= 0.98)}`,
    ],
    ["Latency p50 on / off", `${fmt(http.on.p50Ms, 1)} / ${fmt(http.off.p50Ms, 1)} ms`, ""],
    ["Latency p99 on / off", `${fmt(http.on.p99Ms, 1)} / ${fmt(http.off.p99Ms, 1)} ms`, ""],
    [
      `DB writes per member per window (300 s window, ${http.writesPerMember.loadSeconds} s of load, ${fmt(http.on.requests)} requests)`,
      `max ${http.writesPerMember.max}, mean ${fmt(http.writesPerMember.mean, 2)}`,
      `≤ 1: ${verdict(http.writesPerMember.max <= 1)}`,
    ],
    [
      `Same with a 1 s window, ${http.shortWindow.loadSeconds} s of load: writes per member per window`,
      `${fmt(http.shortWindow.writesPerMemberPerWindow, 2)} (closest two writes of a member: ${fmt(http.shortWindow.minGapMs)} ms)`,
      `≤ 1: ${verdict(http.shortWindow.writesPerMemberPerWindow <= 1 && http.shortWindow.minGapMs >= 1000)}`,
    ],
    [
      "Tracker cost per request, not due (touchActivity: prefetch check + due check)",
      `${fmt(inProcess.touchActivityNs, 1)} ns`,
      `≤ 1 µs: ${verdict(inProcess.touchActivityNs <= 1000)}`,
    ],
    [
      "… as a share of one request's time (1 / tracking-off throughput): the overhead to expect, far below the noise",
      `${fmt((inProcess.touchActivityNs / 1e9) * http.off.requestsPerSecond * 100, 4)} %`,
      "",
    ],
    [
      "… tracker.touch alone: fresh row / stale row remembered in memory",
      `${fmt(inProcess.touchFreshRowNs, 1)} / ${fmt(inProcess.touchRememberedNs, 1)} ns`,
      "",
    ],
    [
      "Naive baseline: read member + update, awaited, every request",
      `${fmt(inProcess.naiveUs, 1)} µs per request`,
      `${fmt((inProcess.naiveUs * 1000) / inProcess.touchActivityNs)}× the tracker`,
    ],
    [
      "Flush of 10,000 queued due members: tracker.flush",
      `${fmt(inProcess.flush.trackerFlushPerSecond)} members/s`,
      "",
    ],
    [
      "… raw better-sqlite3, same statements, one transaction",
      `${fmt(inProcess.flush.rawSamePerSecond)} members/s`,
      "",
    ],
    ["Flush tracker/raw", fmt(flushRatio, 3), `≥ 0.8: ${verdict(flushRatio >= 0.8)}`],
    [
      "… tracker counting the 10,000 due touches that queued them (and its ratio to raw)",
      `${fmt(inProcess.flush.trackerTouchAndFlushPerSecond)} members/s (${fmt(inProcess.flush.trackerTouchAndFlushPerSecond / inProcess.flush.rawSamePerSecond, 3)})`,
      "",
    ],
    [
      "… raw plain UPDATE only (no window condition, no day row), for scale",
      `${fmt(inProcess.flush.rawUpdateOnlyPerSecond)} members/s`,
      "",
    ],
  ];
  const table = [
    "| measure | result | target |",
    "| --- | --- | --- |",
    ...rows.map(([measure, result, target]) => `| ${measure} | ${result} | ${target} |`),
  ].join("\n");

  const machineLines = machine(started, loadAtStart);
  console.log(`\n${machineLines}\n\n${table}\n`);
  return `## Activity tracking

${machineLines}

${table}

### Method
- HTTP: the production build under remix-serve on 127.0.0.1, one server with tracking on (default 300 s window)
  and one with \`ACTIVITY_TRACKING=off\`, each with 200 members signed in through real session rows and cookies
  signed like the app's. autocannon, ${CONNECTIONS} connections, \`GET /\` (root loader + home loader, full HTML render), each
  request as the next member. 3 s warm-up each (the on server makes its 200 first writes there), then five
  back-to-back pairs of 3 s rounds, alternating which mode goes first. The on/off ratio is the median of the five
  pairs' ratios (drift between pairs cancels out); throughput is total requests over total time per mode, p50/p99
  the median over that mode's rounds. Load generator and servers share this machine's cores, so throughput moves
  with whatever else runs; the server's own CPU time per request (user + system from /proc, per round) moves far
  less, and its off/on ratio is the throughput ratio a CPU-bound server would show.
- Writes are counted by a trigger the bench adds to its own databases (every row update of \`last_active_at\`).
- In-process: \`touchActivity\` with real \`Request\` objects for 200 members whose loaded row is fresh, 2 M calls,
  median of 5 runs; the naive baseline runs drizzle \`select\` then \`update\`, each awaited, 20,000 times on a
  real file. Flush: 10,000 members touched while due, then the tracker's flush timed on its own (one
  transaction); the raw baseline runs the same two prepared statements per member in one better-sqlite3
  transaction. Each run starts from the same rows and an empty WAL, order alternating; median of 9 rounds after a
  warm-up round.
`;
}

const header = `# Roster benchmarks

Written by \`npm run bench\` (bench/run.ts): a full run replaces every section, \`npm run bench -- soak\` (or
\`-- members\`, \`-- activity\`, \`-- sweep\`) only its own.
`;

/** RESULTS.md with this section (\`## Title\` up to the next \`## \`) replaced, or added at the end. */
function withSection(previous: string, section: string): string {
  const title = section.slice(0, section.indexOf("\n"));
  const start = previous.indexOf(`\n${title}\n`);
  if (start === -1) return `${previous.trimEnd()}\n\n${section.trimEnd()}\n`;
  const next = previous.indexOf("\n## ", start + title.length + 1);
  return `${previous.slice(0, start + 1)}${section.trimEnd()}\n${next === -1 ? "" : `\n${previous.slice(next + 1)}`}`;
}

try {
  const sections: string[] = [];
  if (!only || only === "activity") sections.push(await activityBench());

  let soakFailed = false;
  if (!only || only === "soak") {
    log("roster bench: soak on the built server (loopback)…");
    const soakStarted = Date.now();
    const soakLoad = os.loadavg();
    const soakResults = await soak(dir, log, soakSeconds);
    const soakSection = soakMarkdown(soakResults, machine(soakStarted, soakLoad));
    console.log(`\n${soakSection.split("### Method")[0]?.trim()}\n`);
    sections.push(soakSection);
    if (soakResults.status["5xx"] > 0 || soakResults.status.failed > 0) {
      console.error(
        `roster bench: the soak saw ${soakResults.status["5xx"]} server errors and ${soakResults.status.failed} failed requests`,
      );
      soakFailed = true;
    }
  }

  if (!only || only === "members") {
    log(`roster bench: the members page at several sizes (loopback${quick ? ", --quick" : ""})…`);
    const membersStarted = Date.now();
    const membersLoad = os.loadavg();
    const members = await membersBench(dir, log, { quick });
    const membersSection = membersMarkdown(members, machine(membersStarted, membersLoad));
    console.log(`\n${membersSection.split("### Method")[0]?.trim()}\n`);
    sections.push(membersSection);
  }

  if (!only || only === "sweep") {
    log(`roster bench: the dormant-account sweep (loopback${quick ? ", --quick" : ""})…`);
    const sweepStarted = Date.now();
    const sweepLoad = os.loadavg();
    const sweepSection = sweepMarkdown(await sweepBench(dir, log, { quick }), machine(sweepStarted, sweepLoad));
    console.log(`\n${sweepSection.split("### Method")[0]?.trim()}\n`);
    sections.push(sweepSection);
  }

  let results = only ? (fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, "utf8") : header) : header;
  results = results.replace(/^# Roster benchmarks\n[\s\S]*?(?=\n## )/, header.trimEnd());
  for (const section of sections) results = withSection(results, section);
  fs.writeFileSync(resultsFile, results);
  console.log("Written to bench/RESULTS.md");
  if (soakFailed) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
