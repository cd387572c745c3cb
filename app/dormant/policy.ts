// The dormant-account policy's rules, browser-safe: its limits and when a member becomes dormant under it
// (docs/decisions/017-dormant-policy.md). The SQL in policy.server.ts states the same rules for the database.
import { DAY, utcDay } from "~/lib/time";

export const THRESHOLD_DAYS = { min: 30, max: 730, default: 90 } as const;
export const GRACE_DAYS = { min: 1, max: 730, default: 7 } as const;
/** Members due within this many days are marked on the members page (and match its "due" filter). */
export const WARNING_DAYS = 14;

/** What an admin sets: whether the sweep runs, its threshold, the grace for never-active members, exempt roles. */
export interface PolicySettings {
  enabled: boolean;
  thresholdDays: number;
  graceDays: number;
  exemptRoleIds: number[];
}

export const DEFAULT_POLICY: PolicySettings = {
  enabled: false,
  thresholdDays: THRESHOLD_DAYS.default,
  graceDays: GRACE_DAYS.default,
  exemptRoleIds: [],
};

/** What the rules read of a member. */
export interface PolicyMember {
  isOwner: boolean;
  deactivatedAt: number | null;
  createdAt: number;
  lastActiveAt: number | null;
  reactivatedAt: number | null;
  roleIds: readonly number[];
}

/** Whether the policy can ever deactivate this member: a current member, not the owner, holding no exempt role. */
export function isCoveredBy(member: PolicyMember, policy: PolicySettings): boolean {
  return (
    !member.isOwner &&
    member.deactivatedAt === null &&
    !member.roleIds.some((roleId) => policy.exemptRoleIds.includes(roleId))
  );
}

/**
 * The instant after which the member counts as dormant. The clock starts at their last activity, or — never active —
 * at their invitation with the shorter grace; a reactivation restarts it (whichever is later).
 */
export function dormantAfter(member: PolicyMember, policy: PolicySettings): number {
  const restarted = member.reactivatedAt ?? 0;
  return member.lastActiveAt === null
    ? Math.max(member.createdAt, restarted) + policy.graceDays * DAY
    : Math.max(member.lastActiveAt, restarted) + policy.thresholdDays * DAY;
}

/** Whether a sweep at `now` deactivates the member (strictly past the line, as "inactive 90+ days" counts). */
export function isDormant(member: PolicyMember, policy: PolicySettings, now: number): boolean {
  return isCoveredBy(member, policy) && dormantAfter(member, policy) < now;
}

/**
 * When the sweep will next run: it runs once per UTC day, at the first check of the day (at start, then hourly), so
 * today if today's run has not happened yet, else tomorrow.
 */
export function nextRunAt(lastRunAt: number | null, now: number): number {
  return lastRunAt !== null && utcDay(lastRunAt) >= utcDay(now) ? utcDay(now) + DAY : now;
}

/**
 * The UTC day (its midnight) on which the sweep deactivates the member if they stay inactive, when that is within
 * WARNING_DAYS; null otherwise (or when the policy is off or cannot catch them). The first run after they cross the
 * line is the next UTC day's, or the next run when they crossed it already.
 */
export function deactivationDay(
  member: PolicyMember,
  policy: PolicySettings,
  now: number,
  lastRunAt: number | null,
): number | null {
  if (!policy.enabled || !isCoveredBy(member, policy)) return null;
  const after = dormantAfter(member, policy);
  if (after >= now + WARNING_DAYS * DAY) return null;
  return Math.max(utcDay(after) + DAY, utcDay(nextRunAt(lastRunAt, now)));
}
