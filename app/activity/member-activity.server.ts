// One member's activity history for their page: the UTC days they were active over the heatmap's year, their first
// recorded day, and how many days they were active in the last 7, 30, 90 and 365.
import { and, eq, gte, min } from "drizzle-orm";
import { db } from "~/db/client.server";
import { memberActivityDays } from "~/db/schema";
import { DAY, utcDay } from "~/lib/time";
import { HEATMAP_WEEKS } from "./heatmap";

export const ACTIVE_DAY_PERIODS = [7, 30, 90, 365] as const;

/** Enough days back for the heatmap's first column, whichever weekday the week starts on. */
const HISTORY_SHOWN_DAYS = HEATMAP_WEEKS * 7;

export interface MemberActivity {
  /** The member's active UTC days (epoch ms of midnight) in the heatmap's range, oldest first. */
  days: number[];
  /** The earliest day still recorded (history older than ACTIVITY_HISTORY_DAYS is pruned), or null. */
  firstActiveDay: number | null;
  /** Active days in the last N UTC days, today included. */
  activeDays: { period: (typeof ACTIVE_DAY_PERIODS)[number]; count: number }[];
}

/** A few hundred rows at most, read from member_activity_days' primary key (member_id, day). */
export function memberActivity(memberId: number, now = Date.now()): MemberActivity {
  const today = utcDay(now);
  const days = db
    .select({ day: memberActivityDays.day })
    .from(memberActivityDays)
    .where(
      and(eq(memberActivityDays.memberId, memberId), gte(memberActivityDays.day, today - HISTORY_SHOWN_DAYS * DAY)),
    )
    .orderBy(memberActivityDays.day)
    .all()
    .map((row) => row.day);
  const first = db
    .select({ day: min(memberActivityDays.day) })
    .from(memberActivityDays)
    .where(eq(memberActivityDays.memberId, memberId))
    .get();
  return {
    days,
    firstActiveDay: first?.day ?? null,
    activeDays: ACTIVE_DAY_PERIODS.map((period) => ({
      period,
      count: days.filter((day) => day > today - period * DAY && day <= today).length,
    })),
  };
}
