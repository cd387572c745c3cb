// The dormant-account sweep over 100,000 members, half of them dormant, in the built server: its total time, its
// longest transaction, and page latency while it runs against the same pages with no sweep (issue 11, item 7).
import path from "node:path";
import { openDatabase } from "~/db/open.server";
import { insertMembers, insertOrganization, sessionCookie, startSession } from "../tests/support/seed";
import { SESSION_SECRET, startServer, type TestServer } from "../tests/support/server";

const DAY = 86_400_000;
/** Requests in flight at once, each loop sending its next request when the last one is answered. */
const CONCURRENCY = 4;
/** How long the pages are measured with no sweep. */
const BASELINE_MS = 15_000;
const PAGES = ["/", "/admin/members?_data=routes%2Fadmin.members", "/settings/profile"];

export interface SweepResults {
  members: number;
  dormant: number;
  deactivated: number;
  sweepMs: number;
  transactions: number;
  longestTransactionMs: number;
  p99TransactionMs: number;
  without: { p50: number; p99: number; n: number };
  during: { p50: number; p99: number; n: number };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const summary = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99), n: values.length });

interface Sample {
  startedAt: number;
  ms: number;
}

/** Requests the pages in CONCURRENCY loops until `stop()` says so; every answer must be a 200. */
async function load(server: TestServer, cookie: string, stop: () => boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  const loop = async (offset: number) => {
    for (let index = offset; !stop(); index += 1) {
      const startedAt = Date.now();
      const started = performance.now();
      const response = await fetch(`${server.url}${PAGES[index % PAGES.length]}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${PAGES[index % PAGES.length]} answered ${response.status}`);
      samples.push({ startedAt, ms: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, offset) => loop(offset)));
  return samples;
}

/** 100,000 members (the owner one of them), every other one last active 200 days ago, the rest yesterday; the policy on. */
function seed(databasePath: string, members: number) {
  const { sqlite } = openDatabase(databasePath);
  try {
    const now = Date.now();
    const org = insertOrganization(sqlite, { name: "Sweep", now: now - 400 * DAY });
    insertMembers(sqlite, { organizationId: org.organizationId, count: members - 1, now: now - 400 * DAY });
    sqlite
      .prepare(
        `update members set last_active_at = case when id % 2 = 0 then ? else ? end
         where organization_id = ? and is_owner = 0`,
      )
      .run(now - 200 * DAY, now - DAY, org.organizationId);
    const dormant = sqlite
      .prepare("select count(*) from members where organization_id = ? and is_owner = 0 and id % 2 = 0")
      .pluck()
      .get(org.organizationId) as number;
    // On, and today's run already done: the server sweeps only when started a day ahead (below).
    sqlite
      .prepare("insert into dormant_policies (organization_id, enabled, last_run_at, updated_at) values (?, 1, ?, ?)")
      .run(org.organizationId, now, now);
    const token = startSession(sqlite, { ...org.owner });
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return { dormant, token };
  } finally {
    sqlite.close();
  }
}

export async function sweepBench(dir: string, log: (line: string) => void, { quick = false } = {}) {
  const members = quick ? 10_000 : 100_000;
  const dataDir = path.join(dir, "sweep");
  const databasePath = path.join(dataDir, "roster.db");
  log(`  seeding ${members.toLocaleString("en-US")} members…`);
  const { dormant, token } = seed(databasePath, members);
  const cookie = (await sessionCookie(token, SESSION_SECRET)).header;
  const env = { LITESTREAM: "off", ACTIVITY_TRACKING: "off" };

  log("  pages with no sweep…");
  let server = await startServer({ dataDir, env: { ...env, DORMANT_SWEEP: "off" } });
  let without: Sample[];
  try {
    const until = Date.now() + BASELINE_MS;
    without = await load(server, cookie, () => Date.now() > until);
  } finally {
    await server.stop();
  }

  log("  pages while the sweep runs (the server started a day ahead, so today's run is due)…");
  server = await startServer({ dataDir, env: { ...env, DORMANT_SWEEP_CLOCK_OFFSET_DAYS: "1" } });
  const line =
    /dormant-account sweep: organization \d+, (\d+) members deactivated in (\d+) ms, (\d+) transactions \(longest ([\d.]+) ms, p99 ([\d.]+) ms\)/;
  let samples: Sample[];
  let match: RegExpExecArray | null = null;
  let sweepEndedAt = 0;
  try {
    const deadline = Date.now() + 300_000;
    samples = await load(server, cookie, () => {
      match ??= line.exec(server.output());
      if (match && sweepEndedAt === 0) sweepEndedAt = Date.now();
      if (Date.now() > deadline) throw new Error(`the sweep did not finish:\n${server.output()}`);
      return match !== null;
    });
  } finally {
    await server.stop();
  }
  const finished = line.exec(server.output());
  if (!finished) throw new Error("no sweep line in the server's output");
  const sweepMs = Number(finished[2]);
  const sweepStartedAt = sweepEndedAt - sweepMs;
  const during = samples.filter((sample) => sample.startedAt >= sweepStartedAt && sample.startedAt <= sweepEndedAt);
  return {
    members,
    dormant,
    deactivated: Number(finished[1]),
    sweepMs,
    transactions: Number(finished[3]),
    longestTransactionMs: Number(finished[4]),
    p99TransactionMs: Number(finished[5]),
    without: summary(without.map((sample) => sample.ms)),
    during: summary(during.map((sample) => sample.ms)),
  } satisfies SweepResults;
}

export function sweepMarkdown(results: SweepResults, machine: string): string {
  const fmt = (value: number, digits = 1) =>
    value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const ratio = results.during.p99 / results.without.p99;
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  const rows: [string, string, string][] = [
    [
      `Sweep of ${results.members.toLocaleString("en-US")} members, ${results.dormant.toLocaleString("en-US")} dormant: members deactivated, total time`,
      `${results.deactivated.toLocaleString("en-US")} in ${fmt(results.sweepMs / 1000)} s`,
      "",
    ],
    [
      "Longest single write transaction (one batch of 100)",
      `${fmt(results.longestTransactionMs)} ms`,
      `≤ 20 ms: ${verdict(results.longestTransactionMs <= 20)}`,
    ],
    [`… p99 of its ${results.transactions} write transactions`, `${fmt(results.p99TransactionMs)} ms`, ""],
    [
      "Page latency p50 / p99 with no sweep",
      `${fmt(results.without.p50)} / ${fmt(results.without.p99)} ms (${results.without.n} requests)`,
      "",
    ],
    [
      "Page latency p50 / p99 while the sweep runs",
      `${fmt(results.during.p50)} / ${fmt(results.during.p99)} ms (${results.during.n} requests)`,
      "",
    ],
    ["p99 during / without", fmt(ratio, 2), `≤ 2: ${verdict(ratio <= 2)}`],
  ];
  const table = [
    "| measure | result | target |",
    "| --- | --- | --- |",
    ...rows.map(([measure, result, target]) => `| ${measure} | ${result} | ${target} |`),
  ].join("\n");
  return `## Dormant-account sweep

${machine}

${table}

### Method
- One organization of ${results.members.toLocaleString("en-US")} members seeded through the app's row writers; every
  other member last active 200 days ago (dormant under the default 90-day policy), the rest a day ago; the policy on.
- Pages: the production build under remix-serve on 127.0.0.1 (\`LITESTREAM=off\`, \`ACTIVITY_TRACKING=off\`), the
  owner signed in, ${CONCURRENCY} request loops over \`/\`, the members page's loader data and \`/settings/profile\`. First
  ${BASELINE_MS / 1000} s with \`DORMANT_SWEEP=off\`; then the server restarted on the same database with the sweep's
  clock a day ahead (\`DORMANT_SWEEP_CLOCK_OFFSET_DAYS=1\`), so it runs a second after start, under the same load.
  "During" counts the requests sent between the sweep's start and its end.
- Total time and the longest transaction are the server's own figures (its log line per run): the transaction is
  \`BEGIN IMMEDIATE\` … \`COMMIT\` of one batch (conditional update of 100 members, their sessions, 100 audit entries,
  the run's count). Load generator and server share this machine's cores.
`;
}
