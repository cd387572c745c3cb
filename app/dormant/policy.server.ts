// The dormant-account policy of an organization: reading and saving it (authority, audit), its rules as SQL, preview.
import { and, asc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "~/audit/audit-log.server";
import { db } from "~/db/client.server";
import { dormantPolicies, dormantPolicyExemptRoles, members, roles, users } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { DAY } from "~/lib/time";
import { type Actor, EVERY_PERMISSION, within } from "~/members/authority.server";
import { DEFAULT_POLICY, nextRunAt, type PolicySettings, WARNING_DAYS } from "./policy";

export interface StoredPolicy extends PolicySettings {
  lastRunAt: number | null;
  lastRunCount: number;
  /** When it was last saved; null while the organization has never saved one. */
  updatedAt: number | null;
}

/** The organization's policy as saved, or the defaults (off) when nobody has saved one. */
export function loadPolicy(organizationId: number): StoredPolicy {
  const row = db.select().from(dormantPolicies).where(eq(dormantPolicies.organizationId, organizationId)).get();
  if (!row) return { ...DEFAULT_POLICY, lastRunAt: null, lastRunCount: 0, updatedAt: null };
  const exempt = db
    .select({ roleId: dormantPolicyExemptRoles.roleId })
    .from(dormantPolicyExemptRoles)
    .where(eq(dormantPolicyExemptRoles.organizationId, organizationId))
    .orderBy(asc(dormantPolicyExemptRoles.roleId))
    .all();
  return {
    enabled: row.enabled,
    thresholdDays: row.thresholdDays,
    graceDays: row.neverActiveGraceDays,
    exemptRoleIds: exempt.map((entry) => entry.roleId),
    lastRunAt: row.lastRunAt,
    lastRunCount: row.lastRunCount,
    updatedAt: row.updatedAt,
  };
}

/**
 * SQL on `members`: the member is one the policy deactivates at `asOf` (the rules of `isDormant` in policy.ts): a
 * current member, not the owner, holding no exempt role, whose clock — last activity, or for the never active their
 * invitation plus the grace, restarted by a reactivation — is past the line. Each branch is a range of the
 * `(organization_id, last_active_at)` index.
 */
export function dormantCondition(policy: PolicySettings, asOf: number): SQL {
  const activeLine = asOf - policy.thresholdDays * DAY;
  const neverLine = asOf - policy.graceDays * DAY;
  return and(
    isNull(members.deactivatedAt),
    eq(members.isOwner, false),
    or(
      and(lt(members.lastActiveAt, activeLine), sql`coalesce(${members.reactivatedAt}, 0) < ${activeLine}`),
      and(
        isNull(members.lastActiveAt),
        lt(members.createdAt, neverLine),
        sql`coalesce(${members.reactivatedAt}, 0) < ${neverLine}`,
      ),
    ),
    policy.exemptRoleIds.length === 0
      ? undefined
      : sql`not exists (select 1 from member_roles mr where mr.member_id = ${members.id}
          and mr.role_id in (select value from json_each(${JSON.stringify(policy.exemptRoleIds)})))`,
  ) as SQL;
}

/** SQL: the members page's "due for deactivation" filter — members the policy catches within WARNING_DAYS. */
export function dueCondition(organizationId: number, now: number): SQL {
  const policy = loadPolicy(organizationId);
  return policy.enabled ? dormantCondition(policy, now + WARNING_DAYS * DAY) : sql`0`;
}

export const PREVIEW_LIMIT = 50;

/**
 * What the policy with these settings would do at its next run: how many members it deactivates and the first
 * PREVIEW_LIMIT of them, longest inactive first (never active first).
 */
export function previewPolicy(organizationId: number, settings: PolicySettings, now: number) {
  const asOf = nextRunAt(loadPolicy(organizationId).lastRunAt, now);
  const where = and(eq(members.organizationId, organizationId), dormantCondition(settings, asOf));
  const total = db.select({ n: sql<number>`count(*)` }).from(members).where(where).get()?.n ?? 0;
  const listed = db
    .select({ id: members.id, name: users.name, email: users.email, lastActiveAt: members.lastActiveAt })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(where)
    .orderBy(asc(members.lastActiveAt), asc(members.id))
    .limit(PREVIEW_LIMIT)
    .all();
  return { asOf, total, members: listed };
}

export type PolicyChangeResult = { ok: true; changed: boolean } | { ok: false; error: "permission" | "unknownRole" };

/**
 * Whether the actor may set the policy. The policy deactivates, now and on every later day, whichever members go
 * dormant — whatever roles they hold by then — so the actor must be able to deactivate any member: hold every
 * permission (the owner, whom it never catches, does). See decision 017.
 */
export function maySetPolicy(actor: Actor): boolean {
  return actor.isOwner || within(EVERY_PERMISSION, actor.permissions);
}

function roleNames(organizationId: number, roleIds: number[]): string[] {
  if (roleIds.length === 0) return [];
  return db
    .select({ name: roles.name })
    .from(roles)
    .where(and(eq(roles.organizationId, organizationId), inArray(roles.id, roleIds)))
    .orderBy(asc(roles.name))
    .all()
    .map((role) => role.name);
}

/** The settings that differ, as before → after (exempt roles by name), for the audit entry. */
function settingChanges(organizationId: number, before: PolicySettings, after: PolicySettings) {
  const change: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of ["enabled", "thresholdDays", "graceDays"] as const) {
    if (before[key] !== after[key]) change[key] = { before: before[key], after: after[key] };
  }
  if (before.exemptRoleIds.join() !== after.exemptRoleIds.join()) {
    change.exemptRoles = {
      before: roleNames(organizationId, before.exemptRoleIds),
      after: roleNames(organizationId, after.exemptRoleIds),
    };
  }
  return change;
}

/**
 * Saves the organization's policy and records one `policy.changed` audit entry (before → after), in one transaction.
 * Saving what is already stored changes nothing and records nothing.
 */
export function savePolicy(actor: Actor, settings: PolicySettings, now = Date.now()): PolicyChangeResult {
  if (!maySetPolicy(actor)) return { ok: false, error: "permission" };
  const exemptRoleIds = [...new Set(settings.exemptRoleIds)].sort((a, b) => a - b);
  const after = { ...settings, exemptRoleIds };
  return writeTransaction((): PolicyChangeResult => {
    const { organizationId } = actor;
    if (roleNames(organizationId, exemptRoleIds).length !== exemptRoleIds.length) {
      return { ok: false, error: "unknownRole" };
    }
    const before = loadPolicy(organizationId);
    const change = settingChanges(organizationId, before, after);
    if (Object.keys(change).length === 0) return { ok: true, changed: false };
    const row = {
      enabled: after.enabled,
      thresholdDays: after.thresholdDays,
      neverActiveGraceDays: after.graceDays,
      updatedAt: now,
    };
    db.insert(dormantPolicies)
      .values({ organizationId, ...row })
      .onConflictDoUpdate({ target: dormantPolicies.organizationId, set: row })
      .run();
    db.delete(dormantPolicyExemptRoles).where(eq(dormantPolicyExemptRoles.organizationId, organizationId)).run();
    if (exemptRoleIds.length > 0) {
      db.insert(dormantPolicyExemptRoles)
        .values(exemptRoleIds.map((roleId) => ({ organizationId, roleId })))
        .run();
    }
    recordAudit({
      organizationId,
      actor,
      action: "policy.changed",
      target: { type: "policy", id: organizationId, label: "dormant-account policy" },
      change,
      at: now,
    });
    return { ok: true, changed: true };
  });
}
