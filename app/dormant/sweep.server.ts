// The dormant-account sweep: deactivates the members an organization's policy catches, once per UTC day, in short
// batches that requests interleave with, safely beside other processes (docs/decisions/017-dormant-policy.md).
import { performance } from "node:perf_hooks";
import { setTimeout as pause } from "node:timers/promises";
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { recordAudit } from "~/audit/audit-log.server";
import { db, sqlite } from "~/db/client.server";
import { dormantPolicies, members, sessions, users } from "~/db/schema";
import { writeFailure } from "~/db/write.server";
import { DAY, utcDay } from "~/lib/time";
import { dormantCondition, loadPolicy, type StoredPolicy } from "./policy.server";

/** Members per transaction: one batch is a few milliseconds of write lock (bench/RESULTS.md, the sweep section). */
export const SWEEP_BATCH = 100;

export interface SweepRun {
  organizationId: number;
  deactivated: number;
  /** Each write transaction's time (BEGIN IMMEDIATE … COMMIT, an automatic WAL checkpoint included), in ms. */
  transactionsMs: number[];
  /** False when it stopped early: the policy changed meanwhile, or the database refused the write. */
  finished: boolean;
}

/**
 * Runs `work` in one IMMEDIATE transaction without waiting for another process's lock (busy_timeout 0, like the
 * activity flush): the sweep must never hold up the event loop, so a busy database is a retry later, not a wait.
 */
function immediateWithoutWaiting<T>(work: () => T): T {
  const busyTimeoutMs = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma("busy_timeout = 0");
  try {
    return db.transaction(() => work(), { behavior: "immediate" });
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

/**
 * Claims today's run for the organization: a conditional update only one process can win (the run is then theirs
 * until the next UTC day). Returns the policy to run with, or null when it is off or today's run is taken.
 */
export function claimRun(organizationId: number, now: number): StoredPolicy | null {
  return immediateWithoutWaiting(() => {
    const claimed = db
      .update(dormantPolicies)
      .set({ lastRunAt: now, lastRunCount: 0 })
      .where(
        and(
          eq(dormantPolicies.organizationId, organizationId),
          eq(dormantPolicies.enabled, true),
          or(isNull(dormantPolicies.lastRunAt), lt(dormantPolicies.lastRunAt, utcDay(now))),
        ),
      )
      .run();
    return claimed.changes === 1 ? loadPolicy(organizationId) : null;
  });
}

/** Where the walk over the organization's `(organization_id, last_active_at)` index goes on: after this member. */
type Bound = { lastActiveAt: number | null; id: number };

/**
 * The next members the policy catches, in index order (never active first, by id; then by last activity, id), after
 * `bound`. Each statement is a seek on `(organization_id, last_active_at, id)` bounded by the threshold's line — "same
 * key, later id", then "later keys" — so a run reads each index entry once however many members share a time.
 */
function nextCandidates(organizationId: number, policy: StoredPolicy, now: number, bound: Bound | null): Bound[] {
  const caught = dormantCondition(policy, now);
  const line = sql`${members.lastActiveAt} < ${now - policy.thresholdDays * DAY}`;
  const ranges =
    bound === null
      ? [sql`${members.lastActiveAt} is null`, line]
      : bound.lastActiveAt === null
        ? [sql`${members.lastActiveAt} is null and ${members.id} > ${bound.id}`, line]
        : [
            sql`${members.lastActiveAt} = ${bound.lastActiveAt} and ${members.id} > ${bound.id}`,
            sql`${members.lastActiveAt} > ${bound.lastActiveAt} and ${line}`,
          ];
  const found: Bound[] = [];
  for (const range of ranges) {
    if (found.length === SWEEP_BATCH) break;
    found.push(
      ...db.all<Bound>(sql`select ${members.id} as id, ${members.lastActiveAt} as lastActiveAt
        from ${members} indexed by members_organization_last_active_idx
        where ${members.organizationId} = ${organizationId} and ${caught} and ${range}
        order by ${members.lastActiveAt}, ${members.id} limit ${SWEEP_BATCH - found.length}`),
    );
  }
  return found;
}

/**
 * Deactivates these members if the policy still catches them (a conditional update: one another process or an admin
 * got to first is left alone), ends their sessions in the organization, and records one audit entry each with the
 * system as actor — all in one short transaction. Returns how many it deactivated, or null when the policy changed
 * since the run began (the run stops).
 */
function deactivateBatch(organizationId: number, policy: StoredPolicy, ids: number[], now: number): number | null {
  return immediateWithoutWaiting(() => {
    const current = loadPolicy(organizationId);
    if (!current.enabled || current.updatedAt !== policy.updatedAt || current.lastRunAt !== policy.lastRunAt) {
      return null;
    }
    // NOT INDEXED: by primary key, 100 lookups. Left to itself the planner walks the policy's index ranges instead,
    // which costs the organization's dormant members per batch (25 ms at 100,000).
    const deactivated = db.all<{ id: number; userId: number; joinedAt: number | null }>(
      sql`update ${members} not indexed set ${sql.identifier(members.deactivatedAt.name)} = ${now}
        where ${members.id} in (select value from json_each(${JSON.stringify(ids)}))
          and ${members.organizationId} = ${organizationId} and ${dormantCondition(policy, now)}
        returning ${members.id} as id, ${members.userId} as userId, ${members.joinedAt} as joinedAt`,
    );
    if (deactivated.length === 0) return 0;
    const userIds = deactivated.map((member) => member.userId);
    db.delete(sessions)
      .where(and(eq(sessions.organizationId, organizationId), inArray(sessions.userId, userIds)))
      .run();
    const labels = new Map(
      db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, userIds))
        .all()
        .map((user) => [user.id, user.name ? `${user.name} <${user.email}>` : user.email]),
    );
    recordAudit(
      ...deactivated.map((member) => ({
        organizationId,
        actor: "system" as const,
        action: "member.deactivated" as const,
        target: { type: "member" as const, id: member.id, label: labels.get(member.userId) ?? `#${member.id}` },
        change: {
          status: { before: member.joinedAt === null ? "invited" : "active", after: "deactivated" },
          reason: "dormant",
        },
        at: now,
      })),
    );
    db.update(dormantPolicies)
      .set({ lastRunCount: sql`${dormantPolicies.lastRunCount} + ${deactivated.length}` })
      .where(eq(dormantPolicies.organizationId, organizationId))
      .run();
    return deactivated.length;
  });
}

/**
 * Today's run for one organization, if it is due and this process wins the claim: batch after batch until nobody is
 * left. After each batch it pauses as long as the batch took (reading candidates included), so the sweep holds at
 * most about half of the event loop and requests go on meanwhile. A busy database is retried a few times; any other
 * failure is thrown to the scheduler, which logs it.
 */
export async function sweepOrganization(
  organizationId: number,
  now: number,
  { retryDelayMs = 1000, retries = 5 } = {},
): Promise<SweepRun | null> {
  const policy = claimRun(organizationId, now);
  if (policy === null) return null;
  const run: SweepRun = { organizationId, deactivated: 0, transactionsMs: [], finished: false };
  let bound: Bound | null = null;
  let attempts = 0;
  for (;;) {
    const read = performance.now();
    const candidates = nextCandidates(organizationId, policy, now, bound);
    if (candidates.length === 0) break;
    const started = performance.now();
    let count: number | null;
    try {
      count = deactivateBatch(
        organizationId,
        policy,
        candidates.map((candidate) => candidate.id),
        now,
      );
    } catch (error) {
      if (writeFailure(error) !== "busy" || attempts >= retries) throw error;
      attempts += 1;
      await pause(retryDelayMs);
      continue;
    }
    run.transactionsMs.push(performance.now() - started);
    if (count === null) return run;
    attempts = 0;
    run.deactivated += count;
    bound = candidates[candidates.length - 1] ?? null;
    await pause(performance.now() - read);
  }
  run.finished = true;
  return run;
}

/** Organizations whose policy is on and whose run for `now`'s UTC day has not been claimed yet. */
export function organizationsDue(now: number): number[] {
  return db
    .select({ organizationId: dormantPolicies.organizationId })
    .from(dormantPolicies)
    .where(
      and(
        eq(dormantPolicies.enabled, true),
        or(isNull(dormantPolicies.lastRunAt), lt(dormantPolicies.lastRunAt, utcDay(now))),
      ),
    )
    .all()
    .map((row) => row.organizationId);
}
