// The activity heatmap's calendar (browser-safe, pure): 53 week columns of UTC days ending with today's week, the
// week starting on the locale's first weekday, and the columns where a month begins.
import { dateTimeFormat } from "~/i18n/formatters";
import { DAY, utcDay } from "~/lib/time";

export const HEATMAP_WEEKS = 53;

/** 0 = Sunday, 1 = Monday (as Date#getUTCDay counts). */
export type WeekStart = 0 | 1;

/**
 * The first day of the week in the page's language: Monday in Swedish (and ISO 8601), Sunday in English, as US
 * calendars and the activity graphs English readers know start their weeks.
 */
export function weekStartFor(locale: string): WeekStart {
  return locale.toLowerCase().startsWith("en") ? 0 : 1;
}

export interface HeatmapCalendar {
  /** Each column's seven UTC days (epoch ms of midnight), first weekday first; null for days after today. */
  weeks: (number | null)[][];
  /** The first and last day shown (the first column's first day; today). */
  from: number;
  to: number;
  /** Where a month's first day falls: its column, and that day. */
  months: { week: number; day: number }[];
}

/** The calendar of the 53 weeks that end with the week holding `now`'s UTC day. */
export function heatmapCalendar(now: number, weekStart: WeekStart, weeks = HEATMAP_WEEKS): HeatmapCalendar {
  const today = utcDay(now);
  const weekday = (new Date(today).getUTCDay() - weekStart + 7) % 7;
  const from = today - weekday * DAY - (weeks - 1) * 7 * DAY;
  const columns: (number | null)[][] = [];
  const months: HeatmapCalendar["months"] = [];
  for (let week = 0; week < weeks; week += 1) {
    const column: (number | null)[] = [];
    for (let row = 0; row < 7; row += 1) {
      const day = from + (week * 7 + row) * DAY;
      if (day > today) {
        column.push(null);
        continue;
      }
      column.push(day);
      if (new Date(day).getUTCDate() === 1) months.push({ week, day });
    }
    columns.push(column);
  }
  return { weeks: columns, from, to: today, months };
}

/** The weekday names of the rows, first weekday first, short, in the locale ("Mon", "mån"). */
export function weekdayLabels(locale: string, weekStart: WeekStart): string[] {
  const format = dateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  // 4 January 1970 was a Sunday.
  const sunday = 3 * DAY;
  return Array.from({ length: 7 }, (_, row) => format.format(sunday + ((weekStart + row) % 7) * DAY));
}

/** The active days grouped by UTC month, oldest first: each month's first day and its days of the month. */
export function activeDaysByMonth(days: number[]): { month: number; dates: number[] }[] {
  const months: { month: number; dates: number[] }[] = [];
  for (const day of days) {
    const date = new Date(day);
    const month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const last = months.at(-1);
    if (last?.month === month) last.dates.push(date.getUTCDate());
    else months.push({ month, dates: [date.getUTCDate()] });
  }
  return months;
}

/** A month with its year in the locale ("March 2026", "mars 2026"), as the screen-reader table names it. */
export function monthYearLabel(day: number, locale: string): string {
  return dateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(day);
}

/** A month's short name in the locale ("Mar", "mars"). */
export function monthLabel(day: number, locale: string): string {
  return dateTimeFormat(locale, { month: "short", timeZone: "UTC" }).format(day);
}
