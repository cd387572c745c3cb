// The members page's activity summary: headline counts and active members per UTC day over the last 30 days.
import { and, count, eq, gte, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { memberActivityDays, members } from "~/db/schema";
import { DAY, utcDay } from "~/lib/time";
import { statusCondition } from "~/members/member-list.server";

export const CHART_DAYS = 30;

function countWhere(organizationId: number, status: Parameters<typeof statusCondition>[0], now: number): number {
  return (
    db
      .select({ n: count() })
      .from(members)
      .where(and(eq(members.organizationId, organizationId), statusCondition(status, now)))
      .get()?.n ?? 0
  );
}

/** Current (not deactivated) members, and how many are active, never active, and dormant. */
export function activitySummary(organizationId: number, now = Date.now()) {
  const current = db
    .select({ n: count() })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), sql`${members.deactivatedAt} is null`))
    .get()?.n;
  return {
    members: current ?? 0,
    active30: countWhere(organizationId, "active30", now),
    never: countWhere(organizationId, "never", now),
    inactive90: countWhere(organizationId, "inactive90", now),
  };
}

/** Distinct active members for each of the last 30 UTC days, oldest first, days without activity as 0. */
export function activeMembersPerDay(organizationId: number, now = Date.now()): { day: number; active: number }[] {
  const today = utcDay(now);
  const first = today - (CHART_DAYS - 1) * DAY;
  const rows = db
    .select({ day: memberActivityDays.day, active: count() })
    .from(memberActivityDays)
    .innerJoin(members, eq(members.id, memberActivityDays.memberId))
    .where(and(eq(members.organizationId, organizationId), gte(memberActivityDays.day, first)))
    .groupBy(memberActivityDays.day)
    .all();
  const byDay = new Map(rows.map((row) => [row.day, row.active]));
  return Array.from({ length: CHART_DAYS }, (_, index) => {
    const day = first + index * DAY;
    return { day, active: byDay.get(day) ?? 0 };
  });
}
