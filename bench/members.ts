// The members page's speed at 1,000 / 10,000 / 100,000 members (and one organization among 1,000) over HTTP on the
// built server, each request beside its floor: the same SQL run directly through better-sqlite3 (issue 10).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase } from "~/db/open.server";
import { seedDemo } from "../scripts/demo-data";
import { sessionCookie, startSession } from "../tests/support/seed";
import { SESSION_SECRET, startServer, type TestServer } from "../tests/support/server";
import { cpuMs } from "./http";

/** Days of activity history the bench seeds: a year, as the member page's heatmap and the trends read it. */
const HISTORY_DAYS = 365;
const MAX_REPETITIONS = 15;
/** A measure stops repeating after this long (at least MIN_REPETITIONS): the 100,000-member exports are slow today. */
const MEASURE_BUDGET_MS = 20_000;
const MIN_REPETITIONS = 5;
/**
 * Requests before a measure is timed, within a time budget: the server's first renders of a page run before V8 has
 * optimized its code and cost twice as much, which a long-running server never sees again.
 */
const WARM_UP_REQUESTS = 10;
const WARM_UP_BUDGET_MS = 3_000;

export interface Scenario {
  name: string;
  organizations: number;
  members: number;
  /** Which organization (1-based) is measured: its owner signs in. */
  measured: number;
  /** The measures this scenario runs (all when absent). */
  only?: MeasureName[];
}

type MeasureName =
  | "document"
  | "data"
  | "lastPage"
  | "sortName"
  | "sortRoles"
  | "csv"
  | "api"
  | "memberPage"
  | "trends";

interface Target {
  /** Keyed by the scenario's member count. */
  p50Ms: Record<number, number>;
  label: string;
}

const DOCUMENT_TARGET: Target = { p50Ms: { 1000: 20, 10000: 25, 100000: 40 }, label: "document" };
const DATA_TARGET: Target = { p50Ms: { 10000: 5, 100000: 15 }, label: "loader data" };
const CSV_TARGET: Target = { p50Ms: { 100000: 1500 }, label: "whole file" };
const API_TARGET: Target = { p50Ms: { 1000: 30, 10000: 30, 100000: 30 }, label: "page of 1,000" };
const MEMBER_PAGE_TARGET: Target = { p50Ms: { 1000: 20, 10000: 20, 100000: 20 }, label: "document" };
const TRENDS_TARGET: Target = { p50Ms: { 1000: 10, 10000: 10, 100000: 10 }, label: "trend counts" };

/** What a measured path may name: the list's last page, and the member whose page is measured. */
interface PathIds {
  lastPage: number;
  memberId: number;
}

interface Measure {
  name: MeasureName;
  label: string;
  path: (ids: PathIds) => string;
  target?: Target;
  /** A part of the request's SQL timed on its own (its floor), e.g. the trend counts within the members page. */
  part?: { label: string; statements: RegExp; target: Target };
}

const MEASURES: Measure[] = [
  {
    name: "document",
    label: "`/admin/members` document (50 rows)",
    path: () => "/admin/members",
    target: DOCUMENT_TARGET,
  },
  {
    name: "data",
    label: "loader data (`?_data=routes/admin.members`)",
    path: () => "/admin/members?_data=routes%2Fadmin.members",
    target: DATA_TARGET,
  },
  {
    name: "lastPage",
    label: "last page, loader data",
    path: ({ lastPage }) => `/admin/members?page=${lastPage}&_data=routes%2Fadmin.members`,
    target: DATA_TARGET,
  },
  {
    name: "sortName",
    label: "sort by name, loader data",
    path: () => "/admin/members?sort=name&dir=asc&_data=routes%2Fadmin.members",
    target: DATA_TARGET,
  },
  {
    name: "sortRoles",
    label: "sort by roles, loader data",
    path: () => "/admin/members?sort=roles&dir=asc&_data=routes%2Fadmin.members",
    target: DATA_TARGET,
  },
  { name: "csv", label: "CSV export (whole list)", path: () => "/admin/members.csv", target: CSV_TARGET },
  {
    name: "api",
    label: "`/api/org/members-with-roles?limit=1000`",
    path: () => "/api/org/members-with-roles?limit=1000",
    target: API_TARGET,
  },
  {
    name: "memberPage",
    label: "`/admin/members/:id` document (a daily regular: a year of days, heatmap)",
    path: ({ memberId }) => `/admin/members/${memberId}`,
    target: MEMBER_PAGE_TARGET,
  },
  {
    name: "trends",
    label: "loader data with the weekly chart (`?chart=weekly`)",
    path: () => "/admin/members?chart=weekly&_data=routes%2Fadmin.members",
    part: {
      label: "trend counts: today / 7 / 30 days against the period before and 26 weekly windows (their SQL)",
      statements: /organization_activity_gaps/,
      target: TRENDS_TARGET,
    },
  },
];

export const FULL_SCENARIOS: Scenario[] = [
  { name: "1,000 members", organizations: 1, members: 1_000, measured: 1 },
  { name: "10,000 members", organizations: 1, members: 10_000, measured: 1 },
  { name: "100,000 members", organizations: 1, members: 100_000, measured: 1 },
  { name: "100 members, alone", organizations: 1, members: 100, measured: 1, only: ["document", "data", "sortName"] },
  {
    name: "100 members, one of 1,000 organizations",
    organizations: 1_000,
    members: 100,
    measured: 500,
    only: ["document", "data", "sortName"],
  },
];

export const QUICK_SCENARIOS: Scenario[] = [
  { name: "1,000 members", organizations: 1, members: 1_000, measured: 1 },
  { name: "10,000 members", organizations: 1, members: 10_000, measured: 1 },
  { name: "100 members, alone", organizations: 1, members: 100, measured: 1, only: ["document", "data"] },
  {
    name: "100 members, one of 100 organizations",
    organizations: 100,
    members: 100,
    measured: 50,
    only: ["document", "data"],
  },
];

interface Timing {
  p50: number;
  p95: number;
  n: number;
}

export interface MeasureResult {
  scenario: Scenario;
  measure: Measure;
  http: Timing;
  /** Time to the first byte of the body, ms (exports). */
  firstByte: Timing;
  bytes: number;
  status: number;
  floor: Timing;
  statements: number;
  /** The server process's CPU time (user + system) per timed request, ms: barely moved by other load. */
  serverCpuMs: number;
  /** How far the server's resident memory rose above where it was before the timed runs, at its highest, MiB. */
  rssGrowthMiB: number;
  /** The measure's part, timed by its floor: its statements alone. */
  part?: { floor: Timing; statements: number };
}

export interface MembersResults {
  results: MeasureResult[];
  seeding: { scenario: string; seconds: number; activityDays: number }[];
  quick: boolean;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const timing = (values: number[]): Timing => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  n: values.length,
});

/**
 * Sends the request once more when the connection was closed under it: the server closes an idle keep-alive
 * connection after 5 s, and the floor of a slow measure runs longer than that between two requests.
 */
async function fetchOnce(url: string, cookie: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { cookie }, redirect: "manual" });
  } catch {
    return await fetch(url, { headers: { cookie }, redirect: "manual" });
  }
}

/** The process's resident memory now, MiB (/proc VmRSS). */
function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return kib / 1024;
}

async function timedGet(url: string, cookie: string) {
  const started = performance.now();
  const response = await fetchOnce(url, cookie);
  let firstByte = Number.NaN;
  let bytes = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (Number.isNaN(firstByte)) firstByte = performance.now() - started;
      bytes += value.byteLength;
    }
  }
  return { ms: performance.now() - started, firstByte, bytes, status: response.status };
}

interface Recorded {
  sql: string;
  reader: boolean;
  method: "all" | "get" | "run" | "iterate";
  params: unknown[];
}

/** The statements the server ran for one request: recording on, the request, recording off. */
async function recordStatements(server: TestServer, sqlFile: string, url: string, cookie: string): Promise<Recorded[]> {
  const toggle = async (recording: boolean) => {
    server.process.kill("SIGUSR2");
    const deadline = Date.now() + 5_000;
    while (!fs.readFileSync(sqlFile, "utf8").endsWith(`${JSON.stringify({ recording })}\n`)) {
      if (Date.now() > deadline) throw new Error("the server's SQL probe did not answer");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  fs.writeFileSync(sqlFile, "");
  await toggle(true);
  await timedGet(url, cookie);
  await toggle(false);
  return fs
    .readFileSync(sqlFile, "utf8")
    .split("\n")
    .filter((line) => line.startsWith('{"sql"'))
    .map((line) => JSON.parse(line) as Recorded);
}

/**
 * The floor: the reads a request ran, each prepared afresh and run the same way (all rows, the first row, or
 * iterated to the end) with the same parameters on a connection of the bench's own; the request's writes (activity,
 * audit) are left out.
 */
function floorTiming(sqlite: Database.Database, statements: Recorded[], repetitions: number): Timing {
  const reads = statements.filter((statement) => statement.reader);
  const run = () => {
    for (const { sql, params } of reads)
      sqlite
        .prepare(sql)
        .raw(true)
        .all(...(params as unknown[]));
  };
  run();
  const times: number[] = [];
  for (let index = 0; index < repetitions; index += 1) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return timing(times);
}

async function measureScenario(
  dir: string,
  scenario: Scenario,
  log: (line: string) => void,
  seeding: MembersResults["seeding"],
): Promise<MeasureResult[]> {
  const dataDir = path.join(dir, `members-${scenario.organizations}x${scenario.members}`);
  const databasePath = path.join(dataDir, "roster.db");
  const sqlFile = path.join(dataDir, "statements.jsonl");
  const seedStarted = performance.now();
  const { sqlite } = openDatabase(databasePath);
  let cookie: string;
  let total: number;
  let memberId: number;
  try {
    const demo = seedDemo(sqlite, {
      members: scenario.members,
      organizations: scenario.organizations,
      owner: { email: "owner@example.org", name: "Olivia Owner", passwordHash: null },
      historyDays: HISTORY_DAYS,
    });
    const organization = demo.organizations[scenario.measured - 1];
    if (!organization) throw new Error(`no organization ${scenario.measured}`);
    const token = startSession(sqlite, {
      memberId: organization.ownerMemberId,
      userId: organization.ownerUserId,
      organizationId: organization.organizationId,
      email: "",
    });
    cookie = (await sessionCookie(token, SESSION_SECRET)).header;
    total = sqlite
      .prepare("SELECT count(*) FROM members WHERE organization_id = ?")
      .pluck()
      .get(organization.organizationId) as number;
    // The member page of the most recently active member other than the owner: a daily regular, a full heatmap.
    memberId = sqlite
      .prepare("SELECT id FROM members WHERE organization_id = ? AND is_owner = 0 ORDER BY last_active_at DESC LIMIT 1")
      .pluck()
      .get(organization.organizationId) as number;
    sqlite.pragma("optimize");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const seconds = (performance.now() - seedStarted) / 1000;
    seeding.push({ scenario: scenario.name, seconds, activityDays: demo.activityDays });
    log(
      `  ${scenario.name}: seeded in ${seconds.toFixed(1)} s (${demo.activityDays.toLocaleString("en-US")} activity days)`,
    );
  } finally {
    sqlite.close();
  }

  fs.writeFileSync(sqlFile, "");
  const server = await startServer({
    dataDir,
    env: {
      SESSION_SECRET,
      NODE_OPTIONS: `--import ${path.join(import.meta.dirname, "sql-probe.mjs")}`,
      ROSTER_BENCH_SQL_FILE: sqlFile,
    },
  });
  const reader = new Database(databasePath, { readonly: true });
  const results: MeasureResult[] = [];
  try {
    const lastPage = Math.max(1, Math.ceil(total / 50));
    for (const measure of MEASURES) {
      if (scenario.only && !scenario.only.includes(measure.name)) continue;
      const url = `${server.url}${measure.path({ lastPage, memberId })}`;
      // Warm-up (its first request is the one whose statements are recorded for the floor).
      const statements = await recordStatements(server, sqlFile, url, cookie);
      const first = await timedGet(url, cookie);
      const warmUntil = performance.now() + WARM_UP_BUDGET_MS;
      for (let warm = 1; warm < WARM_UP_REQUESTS && performance.now() < warmUntil; warm += 1)
        await timedGet(url, cookie);
      const times: number[] = [];
      const firstBytes: number[] = [];
      const budgetEnds = performance.now() + MEASURE_BUDGET_MS;
      const cpuBefore = cpuMs(server.process.pid ?? 0);
      const rssBefore = rssMiB(server.process.pid ?? 0);
      let rssPeak = rssBefore;
      const rssSampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssMiB(server.process.pid ?? 0));
      }, 10);
      while (times.length < MAX_REPETITIONS && (times.length < MIN_REPETITIONS || performance.now() < budgetEnds)) {
        const response = await timedGet(url, cookie);
        times.push(response.ms);
        firstBytes.push(response.firstByte);
      }
      clearInterval(rssSampler);
      const serverCpuMs = (cpuMs(server.process.pid ?? 0) - cpuBefore) / times.length;
      const result: MeasureResult = {
        scenario,
        measure,
        http: timing(times),
        firstByte: timing(firstBytes),
        bytes: first.bytes,
        status: first.status,
        floor: floorTiming(reader, statements, times.length),
        statements: statements.length,
        serverCpuMs,
        rssGrowthMiB: rssPeak - rssBefore,
      };
      if (measure.part) {
        const pattern = measure.part.statements;
        const part = statements.filter((statement) => pattern.test(statement.sql));
        result.part = { floor: floorTiming(reader, part, MAX_REPETITIONS), statements: part.length };
        log(`  ${scenario.name}: ${measure.name}, ${measure.part.label}: p50 ${result.part.floor.p50.toFixed(2)} ms`);
      }
      results.push(result);
      log(
        `  ${scenario.name}: ${measure.name} p50 ${result.http.p50.toFixed(1)} ms (server CPU ${result.serverCpuMs.toFixed(1)} ms, floor ${result.floor.p50.toFixed(2)} ms, ${result.statements} statements, ${(result.bytes / 1024).toFixed(1)} KiB, status ${result.status})`,
      );
    }
  } finally {
    reader.close();
    await server.stop();
  }
  return results;
}

/** Seeds each scenario's database, starts the built server on it, and measures every request in turn. */
export async function membersBench(
  dir: string,
  log: (line: string) => void,
  { quick = false }: { quick?: boolean } = {},
): Promise<MembersResults> {
  const seeding: MembersResults["seeding"] = [];
  const results: MeasureResult[] = [];
  for (const scenario of quick ? QUICK_SCENARIOS : FULL_SCENARIOS) {
    results.push(...(await measureScenario(dir, scenario, log, seeding)));
    fs.rmSync(path.join(dir, `members-${scenario.organizations}x${scenario.members}`), {
      recursive: true,
      force: true,
    });
  }
  return { results, seeding, quick };
}

const ms = (value: number) =>
  Number.isNaN(value) ? "–" : value.toLocaleString("en-US", { maximumFractionDigits: value < 10 ? 1 : 0 });
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

/** Met or not against issue 10's target for this size (none for the 100-member comparison rows). */
function verdict(result: MeasureResult): string {
  const limit = result.measure.target?.p50Ms[result.scenario.members];
  if (limit === undefined) return "";
  return `≤ ${ms(limit)} ms: ${result.http.p50 <= limit ? "met" : "NOT met"}`;
}

export function membersMarkdown(results: MembersResults, machine: string): string {
  const rows = results.results.map((result) => {
    const firstByte =
      result.measure.name === "csv"
        ? `; first byte ${ms(result.firstByte.p50)} ms${result.scenario.members === 100_000 ? ` (≤ 50 ms: ${result.firstByte.p50 <= 50 ? "met" : "NOT met"})` : ""}; server RSS +${result.rssGrowthMiB.toFixed(1)} MiB at most${result.scenario.members === 100_000 ? ` (≤ 30 MB: ${result.rssGrowthMiB * 1.048576 <= 30 ? "met" : "NOT met"})` : ""}`
        : "";
    const row = `| ${result.scenario.name} | ${result.measure.label} | ${ms(result.http.p50)} / ${ms(result.http.p95)} ms${firstByte} | ${ms(result.serverCpuMs)} ms | ${ms(result.floor.p50)} / ${ms(result.floor.p95)} ms (${result.statements}) | ${size(result.bytes)}${result.status === 200 ? "" : ` (status ${result.status})`} | ${result.http.n} | ${verdict(result)} |`;
    const { part } = result;
    const partMeasure = result.measure.part;
    if (!part || !partMeasure) return row;
    const limit = partMeasure.target.p50Ms[result.scenario.members];
    const partVerdict = limit === undefined ? "" : `≤ ${ms(limit)} ms: ${part.floor.p50 <= limit ? "met" : "NOT met"}`;
    return `${row}\n| ${result.scenario.name} | … ${partMeasure.label} | – | – | ${ms(part.floor.p50)} / ${ms(part.floor.p95)} ms (${part.statements}) | – | ${part.floor.n} | ${partVerdict} |`;
  });
  const alone = results.results.filter((result) => result.scenario.name.endsWith("alone"));
  const among = results.results.filter((result) => result.scenario.organizations > 1);
  const comparison = alone
    .map((one) => {
      const other = among.find((result) => result.measure.name === one.measure.name);
      return other
        ? `| ${one.measure.label} | ${ms(one.http.p50)} ms; CPU ${ms(one.serverCpuMs)} ms | ${ms(other.http.p50)} ms; CPU ${ms(other.serverCpuMs)} ms | ${(other.http.p50 / one.http.p50).toFixed(2)}; CPU ${(other.serverCpuMs / one.serverCpuMs).toFixed(2)} |`
        : "";
    })
    .filter(Boolean);
  const seeded = results.seeding
    .map(
      (entry) =>
        `${entry.scenario}: ${entry.seconds.toFixed(1)} s (${entry.activityDays.toLocaleString("en-US")} activity days)`,
    )
    .join("; ");
  return `## Members page

${machine}
- seeding (one transaction each, scripts/demo-data.ts): ${seeded}${results.quick ? "\n- **--quick run**: fewer sizes; not the full table" : ""}

| organization | request | p50 / p95 over HTTP | server CPU per request | floor p50 / p95 (statements) | response size | runs | target (p50) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

${
  comparison.length
    ? `A 100-member organization alone vs. among others (same members, same requests; the target is a ratio near 1;
the server's CPU per request moves less with the machine's other load than latency does):

| request | alone: p50; server CPU | among ${among[0]?.scenario.organizations.toLocaleString("en-US")} organizations | ratio among / alone |
| --- | --- | --- | --- |
${comparison.join("\n")}
`
    : ""
}
### Method
- Each size is its own database seeded by \`scripts/demo-data.ts\` (what \`npm run seed:demo\` writes): the owner, three
  custom roles, daily regulars, weekly and monthly visitors, occasional, dormant (last active 90–365 days ago),
  never-active (a dozen of them pending invitations) and deactivated members, with ${HISTORY_DAYS} days of
  \`member_activity_days\` history written by the app's own activity store. The owner is signed in through a real
  session row.
- The production build under remix-serve on 127.0.0.1 (\`scripts/serve.js\`, as the soak starts it; no Litestream),
  activity tracking on. Sequential requests, one at a time, each timed to the last byte of its body; a warm-up of
  ${WARM_UP_REQUESTS} requests (or ${WARM_UP_BUDGET_MS / 1000} s, whichever ends first), then up to ${MAX_REPETITIONS} runs (fewer once a measure has run ${MEASURE_BUDGET_MS / 1000} s, never
  fewer than ${MIN_REPETITIONS}). p50 / p95 of those runs. Server CPU per request: the server process's user +
  system time (/proc, 10 ms ticks) over the timed runs, divided by their number — what the request costs the server,
  much less moved than latency by whatever else the machine runs. For the CSV, the server's resident memory (/proc
  VmRSS) is sampled every 10 ms during the timed runs: its highest rise above where it was before them.
- The floor: the server records the statements the app ran for the warm-up request (SQL and parameters, through a
  preloaded probe, \`bench/sql-probe.mjs\`, off while timing); the bench runs the same reads through better-sqlite3
  on its own read-only connection, each prepared afresh and read as the app read it (all rows, the first, or
  iterated), as many times as the request ran.
  Writes (the session's activity, an export's audit row) are left out. HTTP minus floor is what the app adds:
  rendering, serialization, JavaScript over rows.
- The trend counts are timed by their floor alone (the statements on \`organization_activity_gaps\` that the members
  page ran, through better-sqlite3): the SQL is their whole cost; the page's other work is in the row above.
- Issue 12's targets: the member page document ≤ 20 ms p50 and the trend counts ≤ 10 ms, at every size.
- Targets are issue 10's p50 targets: the document ≤ 20 / 25 / 40 ms at 1,000 / 10,000 / 100,000 members, loader
  data (every sort and page) ≤ 5 / 15 ms at 10,000 / 100,000, the CSV of 100,000 first byte ≤ 50 ms and whole
  file ≤ 1.5 s, an API page of 1,000 ≤ 30 ms.
- Alone: \`npm run bench -- members\` (\`--quick\`: 1,000 and 10,000 members and 100 organizations, for development).
`;
}
