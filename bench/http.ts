// Loopback load on the built production server: 200 signed-in members, tracking on vs off, and the writes it causes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { logActivityWrites } from "../tests/support/activity";
import { setUpOrganization } from "../tests/support/client";
import { insertMembers, signInMembers } from "../tests/support/seed";
import { startServer, type TestServer } from "../tests/support/server";

const SESSION_SECRET = "bench-secret-0123456789abcdef";
const MEMBERS = 200;
export const CONNECTIONS = 16;
const ROUND_SECONDS = 3;
/** Five on/off pairs, alternating which goes first, so drift on a shared machine hits both modes alike. */
const PAIRS: [Mode, Mode][] = [
  ["on", "off"],
  ["off", "on"],
  ["on", "off"],
  ["off", "on"],
  ["on", "off"],
];
const SHORT_WINDOW_SECONDS = 1;
const SHORT_WINDOW_LOAD_SECONDS = 6;

type Mode = "on" | "off";

export interface ModeResults {
  requestsPerSecond: number;
  /** CPU time the server process spent per request (user + system): unlike throughput, barely moved by other load. */
  cpuPerRequestUs: number;
  /** Slowest and fastest round, req/s: how noisy the machine was. */
  roundRange: [number, number];
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

export interface HttpResults {
  on: ModeResults;
  off: ModeResults;
  /** on/off throughput of each back-to-back pair: its median, and the lowest and highest. */
  pairRatio: { median: number; range: [number, number] };
  /** off/on server CPU per request of each pair: the throughput ratio a CPU-bound server would show, less noisy. */
  cpuRatio: { median: number; range: [number, number] };
  /** Default window, over the whole run: writes per member. */
  writesPerMember: { max: number; mean: number; loadSeconds: number; windowSeconds: number };
  /** A 1 s window under sustained load: the closest two writes of one member, and writes per member per window. */
  shortWindow: { minGapMs: number; writesPerMemberPerWindow: number; loadSeconds: number };
}

async function startSeeded(name: string, dir: string, env: Record<string, string>) {
  const server = await startServer({ dataDir: path.join(dir, name), env: { SESSION_SECRET, ...env } });
  await setUpOrganization(server.url);
  const sqlite = new Database(server.databasePath);
  try {
    sqlite.pragma("busy_timeout = 5000");
    logActivityWrites(sqlite);
    const seeded = insertMembers(sqlite, { organizationId: 1, count: MEMBERS, label: name });
    const signedIn = await signInMembers(sqlite, seeded, { secret: SESSION_SECRET });
    return { server, cookies: signedIn.map((member) => member.cookie) };
  } finally {
    sqlite.close();
  }
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** User + system CPU milliseconds a process has used so far (Linux /proc). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

type Round = autocannon.Result & { serverCpuMs: number };

/** Authenticated page loads of `/`, each request as the next of the 200 members. */
async function load(server: TestServer, cookies: string[], seconds: number): Promise<Round> {
  const pid = server.process.pid ?? 0;
  const cpuBefore = cpuMs(pid);
  let next = 0;
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "GET",
        path: "/",
        setupRequest: (request) => {
          next = (next + 1) % cookies.length;
          return { ...request, headers: { ...request.headers, cookie: cookies[next] ?? "" } };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load on ${server.url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return { ...result, serverCpuMs: cpuMs(pid) - cpuBefore };
}

function writeCounts(server: TestServer): number[] {
  const sqlite = new Database(server.databasePath, { readonly: true });
  try {
    return sqlite
      .prepare(
        "SELECT count(w.at) FROM members m LEFT JOIN test_activity_writes w ON w.member_id = m.id " +
          "WHERE m.is_owner = 0 GROUP BY m.id",
      )
      .pluck()
      .all() as number[];
  } finally {
    sqlite.close();
  }
}

function minGapMs(server: TestServer): number {
  const sqlite = new Database(server.databasePath, { readonly: true });
  try {
    const gap = sqlite
      .prepare(
        "SELECT min(gap) FROM (SELECT at - lag(at) OVER (PARTITION BY member_id ORDER BY at) AS gap " +
          "FROM test_activity_writes)",
      )
      .pluck()
      .get() as number | null;
    return gap ?? Number.POSITIVE_INFINITY;
  } finally {
    sqlite.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function measureHttp(dir: string, log: (line: string) => void): Promise<HttpResults> {
  const servers = {
    on: await startSeeded("on", dir, {}),
    off: await startSeeded("off", dir, { ACTIVITY_TRACKING: "off" }),
  };
  const short = await startSeeded("short", dir, { ACTIVITY_DEBOUNCE_SECONDS: String(SHORT_WINDOW_SECONDS) });
  try {
    for (const mode of ["on", "off"] as const) {
      log(`  warm-up, tracking ${mode}`);
      await load(servers[mode].server, servers[mode].cookies, 3);
    }
    const rounds: Record<Mode, Round[]> = { on: [], off: [] };
    const pairRatios: number[] = [];
    const cpuRatios: number[] = [];
    for (const [index, pair] of PAIRS.entries()) {
      const rate: Partial<Record<Mode, number>> = {};
      const cpu: Partial<Record<Mode, number>> = {};
      for (const mode of pair) {
        log(`  pair ${index + 1}/${PAIRS.length}, tracking ${mode}`);
        const result = await load(servers[mode].server, servers[mode].cookies, ROUND_SECONDS);
        rounds[mode].push(result);
        rate[mode] = result.requests.total / result.duration;
        cpu[mode] = result.serverCpuMs / result.requests.total;
      }
      pairRatios.push((rate.on ?? 0) / (rate.off ?? 1));
      cpuRatios.push((cpu.off ?? 0) / (cpu.on ?? 1));
    }
    const summarize = (results: Round[]): ModeResults => {
      const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
      const seconds = results.reduce((sum, result) => sum + result.duration, 0);
      const rates = results.map((result) => result.requests.total / result.duration);
      const cpu = results.reduce((sum, result) => sum + result.serverCpuMs, 0);
      return {
        requestsPerSecond: requests / seconds,
        cpuPerRequestUs: (cpu * 1000) / requests,
        roundRange: [Math.min(...rates), Math.max(...rates)],
        p50Ms: median(results.map((result) => result.latency.p50)),
        p99Ms: median(results.map((result) => result.latency.p99)),
        requests,
      };
    };
    const counts = writeCounts(servers.on.server);

    log(`  sustained load with a ${SHORT_WINDOW_SECONDS} s window`);
    await load(short.server, short.cookies, SHORT_WINDOW_LOAD_SECONDS);
    const shortWrites = writeCounts(short.server).reduce((sum, count) => sum + count, 0);

    return {
      on: summarize(rounds.on),
      off: summarize(rounds.off),
      pairRatio: { median: median(pairRatios), range: [Math.min(...pairRatios), Math.max(...pairRatios)] },
      cpuRatio: { median: median(cpuRatios), range: [Math.min(...cpuRatios), Math.max(...cpuRatios)] },
      writesPerMember: {
        max: Math.max(...counts),
        mean: counts.reduce((sum, count) => sum + count, 0) / counts.length,
        loadSeconds: 3 + ROUND_SECONDS * rounds.on.length,
        windowSeconds: 300,
      },
      shortWindow: {
        minGapMs: minGapMs(short.server),
        writesPerMemberPerWindow: shortWrites / MEMBERS / (SHORT_WINDOW_LOAD_SECONDS / SHORT_WINDOW_SECONDS),
        loadSeconds: SHORT_WINDOW_LOAD_SECONDS,
      },
    };
  } finally {
    await Promise.all([servers.on.server.stop(), servers.off.server.stop(), short.server.stop()]);
  }
}
