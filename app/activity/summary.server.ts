// The members page's activity summary: headline counts and active members per UTC day over the last 30 days.
// Both read the per-organization aggregates the database keeps by trigger (docs/decisions/015-activity-aggregates.md):
// a few rows per day of history plus, for the two time windows, the members whose last activity falls on the window's
// first UTC day, instead of every member of the organization.
import { and, eq, gte, isNull, lt, lte, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { members, organizationActivityDays, organizationLastActiveDays } from "~/db/schema";
import { DAY, utcDay } from "~/lib/time";
import type { Actor } from "~/members/authority.server";
import { ACTIVE_DAYS, DORMANT_DAYS } from "~/members/member-list.server";

export const CHART_DAYS = 30;

/** The aggregate's day for members who were never active (real days are multiples of DAY). */
const NEVER_ACTIVE_DAY = -1;

/** Current members whose last_active_at is in [from, to): at most one UTC day of them, found by index. */
function currentActiveBetween(organizationId: number, from: number, to: number) {
  const row = db
    .select({ members: sql<number>`count(*)`, owners: sql<number>`coalesce(sum(${members.isOwner}), 0)` })
    .from(members)
    .where(
      and(
        eq(members.organizationId, organizationId),
        gte(members.lastActiveAt, from),
        lt(members.lastActiveAt, to),
        isNull(members.deactivatedAt),
      ),
    )
    .get();
  return { members: row?.members ?? 0, owners: row?.owners ?? 0 };
}

/**
 * The counts with, for "inactive 90+ days", how many of those are the owner (0 or 1). The same rules as the list's
 * status filters (`statusCondition` in app/members/member-list.server.ts): active30 is `last_active_at >= now - 30
 * days`, inactive90 is `last_active_at < now - 90 days`, both among current members.
 */
export function summaryCounts(organizationId: number, now: number) {
  const activeSince = now - ACTIVE_DAYS * DAY;
  const dormantBefore = now - DORMANT_DAYS * DAY;
  const activeFirstDay = utcDay(activeSince);
  const dormantLastDay = utcDay(dormantBefore);
  const day = organizationLastActiveDays.day;
  const whole = db
    .select({
      members: sql<number>`coalesce(sum(${organizationLastActiveDays.members}), 0)`,
      never: sql<number>`coalesce(sum(case when ${day} = ${NEVER_ACTIVE_DAY} then ${organizationLastActiveDays.members} end), 0)`,
      active30: sql<number>`coalesce(sum(case when ${day} > ${activeFirstDay} then ${organizationLastActiveDays.members} end), 0)`,
      inactive90: sql<number>`coalesce(sum(case when ${day} >= 0 and ${day} < ${dormantLastDay} then ${organizationLastActiveDays.members} end), 0)`,
      dormantOwners: sql<number>`coalesce(sum(case when ${day} >= 0 and ${day} < ${dormantLastDay} then ${organizationLastActiveDays.owners} end), 0)`,
    })
    .from(organizationLastActiveDays)
    .where(eq(organizationLastActiveDays.organizationId, organizationId))
    .get();
  // The windows start mid-day: the members last active on that first day are counted one by one.
  const activeEdge = currentActiveBetween(organizationId, activeSince, activeFirstDay + DAY);
  const dormantEdge = currentActiveBetween(organizationId, dormantLastDay, dormantBefore);
  return {
    members: whole?.members ?? 0,
    active30: (whole?.active30 ?? 0) + activeEdge.members,
    never: whole?.never ?? 0,
    inactive90: (whole?.inactive90 ?? 0) + dormantEdge.members,
    dormantOwners: (whole?.dormantOwners ?? 0) + dormantEdge.owners,
  };
}

export type SummaryCounts = ReturnType<typeof summaryCounts>;

/** Current (not deactivated) members, and how many are active, never active, and dormant. */
export function activitySummary(organizationId: number, now = Date.now()) {
  const { dormantOwners: _owners, ...counts } = summaryCounts(organizationId, now);
  return counts;
}

/**
 * How many members "deactivate all inactive 90+ days" would act on as of `asOf` (`dormantMembersFor` gives their
 * ids when the admin confirms): the dormant count without the owner and the actor, or null when picking members by
 * their activity is not the actor's to do (it needs activity.view).
 */
export function dormantCountFor(
  actor: Actor,
  asOf: number,
  /** The organization's summaryCounts as of `asOf`, when the caller has them already. */
  counts?: SummaryCounts,
): number | null {
  if (!actor.isOwner && !actor.permissions.has("activity.view")) return null;
  const { inactive90, dormantOwners } = counts ?? summaryCounts(actor.organizationId, asOf);
  const actorDormant =
    !actor.isOwner &&
    db
      .select({ id: members.id })
      .from(members)
      .where(
        and(
          eq(members.id, actor.memberId),
          isNull(members.deactivatedAt),
          lt(members.lastActiveAt, asOf - DORMANT_DAYS * DAY),
        ),
      )
      .get() !== undefined;
  return inactive90 - dormantOwners - (actorDormant ? 1 : 0);
}

/**
 * Distinct active members for each of the last 30 UTC days, oldest first, days without activity as 0. Members removed
 * since still count on the days they were active.
 */
export function activeMembersPerDay(organizationId: number, now = Date.now()): { day: number; active: number }[] {
  const today = utcDay(now);
  const first = today - (CHART_DAYS - 1) * DAY;
  const rows = db
    .select({ day: organizationActivityDays.day, active: organizationActivityDays.activeMembers })
    .from(organizationActivityDays)
    .where(
      and(
        eq(organizationActivityDays.organizationId, organizationId),
        gte(organizationActivityDays.day, first),
        lte(organizationActivityDays.day, today),
      ),
    )
    .all();
  const byDay = new Map(rows.map((row) => [row.day, row.active]));
  return Array.from({ length: CHART_DAYS }, (_, index) => {
    const day = first + index * DAY;
    return { day, active: byDay.get(day) ?? 0 };
  });
}
