// The soak: a bounded run of mixed browsing and admin loads on the built server (127.0.0.1), with its memory at start and end.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { seededRandom } from "../scripts/demo-data";
import { setUpOrganization } from "../tests/support/client";
import { insertMembers, signInMembers } from "../tests/support/seed";
import { startServer, type TestServer } from "../tests/support/server";

const SESSION_SECRET = "bench-secret-0123456789abcdef";
export const SOAK_DEFAULT_SECONDS = 60;
/** Requests in flight at once: a few signed-in people clicking quickly, not a load test. */
export const SOAK_WORKERS = 6;
const SOAK_MEMBERS = 500;
/** A hard cap on requests whatever the speed; the soak stops at the time limit or the cap, whichever comes first. */
const MAX_REQUESTS_PER_SECOND = 400;
const REQUEST_TIMEOUT_MS = 10_000;
const DAY_MS = 24 * 3600 * 1000;

type Who = "owner" | "admin" | "hr" | "member";
interface Planned {
  path: string;
  form?: Record<string, string>;
}
interface Kind {
  name: string;
  weight: number;
  /** Who sends it: only people allowed to, so any answer but the expected one is a finding. */
  who: Who[];
  /** What a good answer is: a page (200, the default), or the redirect after a successful save (302). */
  expect?: 200 | 302;
  plan: (random: () => number, who: Who) => Planned;
}

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

const SORTS = ["name", "email", "roles", "lastActive", "memberSince"] as const;
const STATUSES = ["all", "active30", "inactive90", "never", "deactivated"] as const;

function membersQuery(random: () => number, roleIds: number[]): URLSearchParams {
  const params = new URLSearchParams({ sort: pick(random, SORTS), dir: pick(random, ["asc", "desc"]) });
  const status = pick(random, STATUSES);
  if (status !== "all") params.set("status", status);
  const q = pick(random, ["", "", "", "member", "soak 4", "@example.com", "zz"]);
  if (q) params.set("q", q);
  if (random() < 0.3) params.set("role", String(pick(random, roleIds)));
  if (random() < 0.3) params.set("page", String(1 + Math.floor(random() * 3)));
  return params;
}

function kinds(roleIds: number[]): Kind[] {
  const everyone: Who[] = ["owner", "admin", "hr", "member"];
  const activityViewers: Who[] = ["owner", "admin", "hr"];
  return [
    { name: "home `/`", weight: 3, who: everyone, plan: () => ({ path: "/" }) },
    { name: "directory", weight: 2, who: everyone, plan: () => ({ path: "/directory" }) },
    {
      name: "directory, client navigation (`?_data`)",
      weight: 1,
      who: everyone,
      plan: () => ({ path: "/directory?_data=routes%2Fdirectory" }),
    },
    { name: "profile", weight: 1, who: everyone, plan: () => ({ path: "/settings/profile" }) },
    {
      name: "profile: save name (POST)",
      weight: 0.5,
      who: ["member"],
      expect: 302,
      plan: (random) => ({
        path: "/settings/profile",
        form: { intent: "name", name: `Soak member ${Math.floor(random() * 1000)}` },
      }),
    },
    {
      name: "members admin page, sorts and filters",
      weight: 3,
      who: activityViewers,
      plan: (random) => ({ path: `/admin/members?${membersQuery(random, roleIds)}` }),
    },
    {
      name: "members admin page, client navigation (`?_data`)",
      weight: 1,
      who: activityViewers,
      plan: (random) => ({ path: `/admin/members?${membersQuery(random, roleIds)}&_data=routes%2Fadmin.members` }),
    },
    {
      name: "CSV export",
      weight: 1,
      who: activityViewers,
      plan: (random) => ({ path: `/admin/members.csv?${membersQuery(random, roleIds)}` }),
    },
    {
      name: "API `/api/org/members-with-roles`",
      weight: 1,
      who: activityViewers,
      plan: (random) => ({ path: `/api/org/members-with-roles?limit=${pick(random, [50, 100, 1000])}` }),
    },
    { name: "roles page", weight: 1, who: ["owner", "admin"], plan: () => ({ path: "/admin/roles" }) },
  ];
}

interface Seeded {
  server: TestServer;
  cookies: Record<Who, string[]>;
  roleIds: number[];
  memoryFile: string;
}

/** The built server with 500 members of varied activity, an Admin pair, an HR viewer, and a few signed-in members. */
async function startSeeded(dir: string): Promise<Seeded> {
  const memoryFile = path.join(dir, "memory.json");
  const probe = path.join(import.meta.dirname, "memory-probe.mjs");
  const server = await startServer({
    dataDir: path.join(dir, "soak"),
    env: {
      SESSION_SECRET,
      NODE_OPTIONS: `--expose-gc --import ${probe}`,
      ROSTER_BENCH_MEMORY_FILE: memoryFile,
    },
  });
  const owner = await setUpOrganization(server.url);
  const sqlite = new Database(server.databasePath);
  try {
    sqlite.pragma("busy_timeout = 5000");
    const now = Date.now();
    const random = seededRandom(7);
    const seeded = insertMembers(sqlite, { organizationId: 1, count: SOAK_MEMBERS, label: "soak" });
    const update = sqlite.prepare(
      "UPDATE members SET created_at = ?, last_active_at = ?, deactivated_at = ? WHERE id = ?",
    );
    const day = sqlite.prepare("INSERT OR IGNORE INTO member_activity_days (member_id, day) VALUES (?, ?)");
    sqlite.transaction(() => {
      for (const [index, member] of seeded.entries()) {
        const createdAt = now - Math.floor(random() * 400) * DAY_MS;
        const neverActive = random() < 0.2;
        const lastActiveAt = neverActive ? null : Math.max(createdAt, now - Math.floor(random() * 200 * DAY_MS));
        // The people signed in below (the first ten) stay active.
        const deactivatedAt = index >= 10 && random() < 0.05 ? now - DAY_MS : null;
        update.run(createdAt, lastActiveAt, deactivatedAt, member.memberId);
        if (lastActiveAt !== null) {
          for (let back = 0; back < 30; back += 1) {
            if (random() < 0.3) day.run(member.memberId, Math.floor((now - back * DAY_MS) / DAY_MS) * DAY_MS);
          }
        }
      }
    })();
    const role = (name: string) =>
      sqlite.prepare("SELECT id FROM roles WHERE organization_id = 1 AND name = ?").pluck().get(name) as number;
    const hr = Number(
      sqlite
        .prepare(
          "INSERT INTO roles (organization_id, name, builtin, permissions, created_at) VALUES (1, 'HR', NULL, ?, ?)",
        )
        .run('["activity.view"]', now).lastInsertRowid,
    );
    const grant = sqlite.prepare("INSERT OR IGNORE INTO member_roles (member_id, role_id) VALUES (?, ?)");
    const [admin1, admin2, viewer, ...rest] = seeded;
    for (const admin of [admin1, admin2]) if (admin) grant.run(admin.memberId, role("Admin"));
    if (viewer) grant.run(viewer.memberId, hr);
    const signedIn = await signInMembers(sqlite, seeded.slice(0, 8), { secret: SESSION_SECRET });
    const cookie = (index: number) => signedIn[index]?.cookie ?? "";
    return {
      server,
      memoryFile,
      roleIds: [role("Admin"), role("Member"), hr],
      cookies: {
        owner: [owner.cookieHeader()],
        admin: [cookie(0), cookie(1)],
        hr: [cookie(2)],
        member: rest.length ? [cookie(3), cookie(4), cookie(5), cookie(6), cookie(7)] : [],
      },
    };
  } finally {
    sqlite.close();
  }
}

/** Resident set size now and at its peak, MiB (Linux /proc). */
function residentMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

interface HeapMiB {
  used: number;
  total: number;
  /** Memory outside the V8 heap that JavaScript objects hold (buffers, better-sqlite3's objects). */
  external: number;
}

/** The server's V8 heap after a full GC, MiB, from the preloaded probe; null if it did not answer. */
async function heapMiB(seeded: Seeded): Promise<HeapMiB | null> {
  const asked = Date.now();
  seeded.server.process.kill("SIGUSR2");
  const deadline = asked + 5000;
  while (Date.now() < deadline) {
    try {
      const memory = JSON.parse(fs.readFileSync(seeded.memoryFile, "utf8")) as {
        at: number;
        heapUsed: number;
        heapTotal: number;
        external: number;
      };
      if (memory.at >= asked) {
        return {
          used: memory.heapUsed / 2 ** 20,
          total: memory.heapTotal / 2 ** 20,
          external: memory.external / 2 ** 20,
        };
      }
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

export interface SoakKindResult {
  name: string;
  requests: number;
  unexpected: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SoakResults {
  plannedSeconds: number;
  seconds: number;
  maxRequests: number;
  stoppedBy: "time" | "request cap";
  requests: number;
  status: { "2xx": number; "3xx": number; "4xx": number; "5xx": number; failed: number };
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  kinds: SoakKindResult[];
  rssMiB: { start: number; end: number; peak: number };
  heapMiB: { start: HeapMiB; end: HeapMiB } | null;
  /** RSS every few seconds during the load: whether it levels off or keeps climbing. */
  rssTrail: { second: number; rssMiB: number }[];
  serverErrorLines: string[];
}

export async function soak(dir: string, log: (line: string) => void, plannedSeconds: number): Promise<SoakResults> {
  const seeded = await startSeeded(dir);
  const { server } = seeded;
  const pid = server.process.pid ?? 0;
  try {
    const all = kinds(seeded.roleIds);
    const totalWeight = all.reduce((sum, kind) => sum + kind.weight, 0);
    const pickWeighted = (roll: number): Kind => {
      let rest = roll;
      for (const kind of all) {
        rest -= kind.weight;
        if (rest < 0) return kind;
      }
      return all.at(-1) as Kind;
    };
    const random = seededRandom(42);
    const maxRequests = plannedSeconds * MAX_REQUESTS_PER_SECOND;
    const status = { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, failed: 0 };
    const latencies: number[] = [];
    const byKind = new Map(all.map((kind) => [kind.name, { latencies: [] as number[], unexpected: 0 }]));
    const outputBefore = server.output().length;

    const heapStart = await heapMiB(seeded);
    const rssStart = residentMiB(pid);
    log(
      `  soak: ${plannedSeconds} s, ${SOAK_WORKERS} at a time, at most ${maxRequests.toLocaleString("en-US")} requests`,
    );

    let sent = 0;
    const started = performance.now();
    const deadline = started + plannedSeconds * 1000;
    let nextProgress = started + 10_000;
    const rssTrail: SoakResults["rssTrail"] = [];
    const trailEveryMs = Math.max(1000, (plannedSeconds * 1000) / 12);
    const sampler = setInterval(() => {
      rssTrail.push({ second: (performance.now() - started) / 1000, rssMiB: residentMiB(pid).rss });
    }, trailEveryMs);
    async function worker() {
      while (performance.now() < deadline && sent < maxRequests) {
        sent += 1;
        const kind = pickWeighted(random() * totalWeight);
        const who = pick(random, kind.who);
        const planned = kind.plan(random, who);
        const headers: Record<string, string> = { Cookie: pick(random, seeded.cookies[who]) };
        if (planned.form) headers.Origin = server.url;
        const began = performance.now();
        let code = 0;
        try {
          const response = await fetch(`${server.url}${planned.path}`, {
            method: planned.form ? "POST" : "GET",
            headers,
            body: planned.form ? new URLSearchParams(planned.form) : undefined,
            redirect: "manual",
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          await response.arrayBuffer();
          code = response.status;
        } catch {
          code = 0;
        }
        const ms = performance.now() - began;
        latencies.push(ms);
        const stats = byKind.get(kind.name);
        stats?.latencies.push(ms);
        if (code === 0) status.failed += 1;
        else status[`${Math.floor(code / 100)}xx` as keyof typeof status] += 1;
        if (code !== (kind.expect ?? 200) && stats) stats.unexpected += 1;
        if (performance.now() > nextProgress) {
          nextProgress += 10_000;
          log(`  soak: ${Math.round((performance.now() - started) / 1000)} s, ${latencies.length} requests`);
        }
      }
    }
    await Promise.all(Array.from({ length: SOAK_WORKERS }, worker));
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;

    const rssEnd = residentMiB(pid);
    const heapEnd = await heapMiB(seeded);
    const sorted = [...latencies].sort((a, b) => a - b);
    const serverOutput = server.output().slice(outputBefore);
    return {
      plannedSeconds,
      seconds,
      maxRequests,
      stoppedBy: sent >= maxRequests ? "request cap" : "time",
      requests: latencies.length,
      status,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? Number.NaN,
      kinds: all.map((kind) => {
        const stats = byKind.get(kind.name) ?? { latencies: [], unexpected: 0 };
        const kindSorted = [...stats.latencies].sort((a, b) => a - b);
        return {
          name: kind.name,
          requests: kindSorted.length,
          unexpected: stats.unexpected,
          p50Ms: percentile(kindSorted, 50),
          p99Ms: percentile(kindSorted, 99),
        };
      }),
      rssMiB: { start: rssStart.rss, end: rssEnd.rss, peak: rssEnd.peak },
      heapMiB: heapStart && heapEnd ? { start: heapStart, end: heapEnd } : null,
      rssTrail,
      serverErrorLines: serverOutput.split("\n").filter((line) => /error|exception/i.test(line)),
    };
  } finally {
    await server.stop();
  }
}

/** The soak's section of bench/RESULTS.md: its table, the slowest kinds, and how it was run. */
export function soakMarkdown(results: SoakResults, machine: string): string {
  const fmt = (value: number, digits = 0) =>
    value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  const { status } = results;
  const rows: [string, string, string][] = [
    [
      `Requests in ${fmt(results.seconds, 1)} s (planned ${results.plannedSeconds} s, cap ${fmt(results.maxRequests)}; stopped by ${results.stoppedBy})`,
      `${fmt(results.requests)} (${fmt(results.requests / results.seconds)} req/s)`,
      "",
    ],
    ["Server errors (5xx)", fmt(status["5xx"]), `0: ${verdict(status["5xx"] === 0)}`],
    [
      "Other answers: 2xx / 3xx / 4xx / failed (timeout or connection)",
      `${fmt(status["2xx"])} / ${fmt(status["3xx"])} / ${fmt(status["4xx"])} / ${fmt(status.failed)}`,
      `every answer as expected (200, or 302 after a save): ${verdict(results.kinds.every((kind) => kind.unexpected === 0))}`,
    ],
    [
      "Latency p50 / p99 / max, all requests",
      `${fmt(results.p50Ms, 1)} / ${fmt(results.p99Ms, 1)} / ${fmt(results.maxMs, 1)} ms`,
      "",
    ],
    [
      "Server RSS at start → end (peak), /proc VmRSS and VmHWM",
      `${fmt(results.rssMiB.start, 1)} → ${fmt(results.rssMiB.end, 1)} MiB (${fmt(results.rssMiB.peak, 1)})`,
      "",
    ],
    [
      "… RSS during the load, MiB at second",
      results.rssTrail.map((sample) => `${fmt(sample.rssMiB)} @${fmt(sample.second)}`).join(", "),
      "",
    ],
    [
      "Server V8 heap used after a full GC, start → end (heap size; external memory at end)",
      results.heapMiB
        ? `${fmt(results.heapMiB.start.used, 1)} → ${fmt(results.heapMiB.end.used, 1)} MiB (${fmt(results.heapMiB.start.total, 1)} → ${fmt(results.heapMiB.end.total, 1)}; ${fmt(results.heapMiB.end.external, 1)})`
        : "not reachable (probe did not answer): RSS only",
      "",
    ],
    ["Error lines in the server's output during the soak", fmt(results.serverErrorLines.length), ""],
  ];
  const table = [
    "| measure | result | target |",
    "| --- | --- | --- |",
    ...rows.map(([measure, result, target]) => `| ${measure} | ${result} | ${target} |`),
  ].join("\n");
  const kindTable = [
    "| request | share | unexpected answers | p50 | p99 |",
    "| --- | --- | --- | --- | --- |",
    ...results.kinds.map(
      (kind) =>
        `| ${kind.name} | ${fmt((kind.requests / results.requests) * 100, 1)} % (${fmt(kind.requests)}) | ${kind.unexpected} | ${fmt(kind.p50Ms, 1)} ms | ${fmt(kind.p99Ms, 1)} ms |`,
    ),
  ].join("\n");
  return `## Soak

${machine}

${table}

${kindTable}

### Method
- The production build under remix-serve on 127.0.0.1 with its own database: ${SOAK_MEMBERS} members with varied
  last-active times (a fifth never active, some deactivated, 30 days of activity history), the owner, two Admins,
  an HR role holding \`activity.view\` only, and five plain members, each signed in through a real session row.
- ${SOAK_WORKERS} requests in flight at a time, each the next of a fixed pseudo-random mix (same seed every run), sent only
  by people allowed to (so anything but a 2xx is a finding): home, directory, profile, a profile name change
  (POST), the members admin page with random sorts, filters, searches, roles and pages (documents and \`?_data\`),
  the CSV export (each one audited: a write), the JSON API and the roles page. Each request waits at most
  ${REQUEST_TIMEOUT_MS / 1000} s; the soak stops after its time (default ${SOAK_DEFAULT_SECONDS} s) or
  ${MAX_REQUESTS_PER_SECOND} requests per planned second, whichever comes first, then stops the server.
- Memory: RSS and its peak from \`/proc/<pid>/status\`. The heap is not reachable from outside the process, so the
  soak preloads \`bench/memory-probe.mjs\` into the server (\`NODE_OPTIONS=--expose-gc --import …\`): on SIGUSR2 it
  runs a full GC and writes \`process.memoryUsage()\` to a file; the app itself is unchanged.
- Alone: \`npm run bench -- soak\` (\`--seconds=10\` or \`SOAK_SECONDS=10\` for a quick check).
`;
}
