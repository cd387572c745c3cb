// Active-member trends (today, 7 and 30 UTC days against the period before; 26 weeks of 7-day windows), as distinct
// members, summed from organization_activity_gaps (docs/decisions/021-member-page-and-trends.md): a few hundred rows
// at any organization size, never a read of members or member_activity_days.

import { sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { organizationActivityGaps } from "~/db/schema";
import { DAY, utcDay } from "~/lib/time";
import { activeMembersPerDay } from "./summary.server";
import type { ActiveInRange, ChartKind, Trend } from "./trends";

/** The longest window the gaps can count distinct members in (a gap of 31 means "31 days or more"). */
export const MAX_WINDOW_DAYS = 31;
export const TREND_PERIODS = [1, 7, 30] as const;
export const TREND_WEEKS = 26;

/**
 * Distinct members active in each of `count` consecutive windows of `days` UTC days, the first starting on `first`.
 * A member counts in a window on their first day in it: the day whose gap to their previous day reaches before the
 * window's start. Members removed since still count (as on the daily chart).
 */
export function activeInWindows(organizationId: number, first: number, days: number, count: number): ActiveInRange[] {
  if (days < 1 || days > MAX_WINDOW_DAYS) throw new RangeError(`window of ${days} days`);
  const span = days * DAY;
  const gaps = organizationActivityGaps;
  // Whole numbers written into the statement: bound parameters are REAL, and / would not divide whole days.
  const [start, length, day] = [first, span, DAY].map((value) => sql.raw(String(Math.trunc(value))));
  const offset = sql`(${gaps.day} - ${start})`;
  const rows = db.all<{ windowIndex: number; active: number }>(sql`
    select ${offset} / ${length} as windowIndex, sum(${gaps.members}) as active
    from ${gaps}
    where ${gaps.organizationId} = ${organizationId} and ${gaps.day} >= ${first} and ${gaps.day} < ${first + count * span}
      and ${gaps.gapDays} > ${offset} % ${length} / ${day}
    group by 1`);
  const byWindow = new Map(rows.map((row) => [row.windowIndex, row.active]));
  return Array.from({ length: count }, (_, index) => ({
    from: first + index * span,
    to: first + index * span + span - DAY,
    active: byWindow.get(index) ?? 0,
  }));
}

/** Active members today, in the last 7 and the last 30 UTC days (DAU / WAU / MAU), each beside the period before. */
export function activityTrends(organizationId: number, now = Date.now()): Trend[] {
  const today = utcDay(now);
  return TREND_PERIODS.map((days) => {
    const [previous, current] = activeInWindows(organizationId, today - (2 * days - 1) * DAY, days, 2);
    if (!previous || !current) throw new Error("two windows expected");
    return { days, current, previous };
  });
}

/** Distinct active members in each of the last 26 seven-day windows, oldest first; the last one ends today. */
export function weeklyActiveMembers(organizationId: number, now = Date.now()): ActiveInRange[] {
  return activeInWindows(organizationId, utcDay(now) - (TREND_WEEKS * 7 - 1) * DAY, 7, TREND_WEEKS);
}

/** The chart's bars: the 30 days (each a range of one day) or the 26 weekly windows, oldest first. */
export function activityChart(organizationId: number, kind: ChartKind, now = Date.now()): ActiveInRange[] {
  if (kind === "weekly") return weeklyActiveMembers(organizationId, now);
  return activeMembersPerDay(organizationId, now).map(({ day, active }) => ({ from: day, to: day, active }));
}
