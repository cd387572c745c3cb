// The member page's heatmap calendar: 53 columns of UTC days ending with today's week, weeks starting on the locale's
// first weekday, months found across year boundaries and leap days, labels in English and Swedish.
import { describe, expect, it } from "vitest";
import {
  activeDaysByMonth,
  HEATMAP_WEEKS,
  heatmapCalendar,
  monthLabel,
  monthYearLabel,
  weekdayLabels,
  weekStartFor,
} from "~/activity/heatmap";
import { formatLongDate } from "~/lib/dates";
import { DAY } from "~/lib/time";

const iso = (day: number | null | undefined) => (day == null ? day : new Date(day).toISOString().slice(0, 10));

describe("the heatmap calendar", () => {
  it("starts weeks on Monday in Swedish and on Sunday in English", () => {
    expect(weekStartFor("sv")).toBe(1);
    expect(weekStartFor("en")).toBe(0);
    // Wednesday 4 March 2026.
    const now = Date.UTC(2026, 2, 4, 15);
    const monday = heatmapCalendar(now, 1);
    const sunday = heatmapCalendar(now, 0);
    expect(monday.weeks.at(-1)?.map(iso)).toEqual(["2026-03-02", "2026-03-03", "2026-03-04", null, null, null, null]);
    expect(sunday.weeks.at(-1)?.map(iso)).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      null,
      null,
      null,
    ]);
    for (const calendar of [monday, sunday]) {
      expect(calendar.weeks).toHaveLength(HEATMAP_WEEKS);
      expect(iso(calendar.to)).toBe("2026-03-04");
      expect(new Date(calendar.from).getUTCDay()).toBe(calendar === monday ? 1 : 0);
      // Every day from the first to today, once, in order.
      const days = calendar.weeks.flat().filter((day): day is number => day !== null);
      expect(days[0]).toBe(calendar.from);
      expect(days.at(-1)).toBe(calendar.to);
      expect(days.every((day, index) => index === 0 || day - (days[index - 1] ?? 0) === DAY)).toBe(true);
      expect(days.length).toBe(52 * 7 + (calendar === monday ? 3 : 4));
    }
  });

  it("uses the UTC day, whatever the hour: 23:59 UTC is still that day, 00:00 the next", () => {
    const late = heatmapCalendar(Date.UTC(2026, 11, 31, 23, 59, 59, 999), 1);
    const early = heatmapCalendar(Date.UTC(2027, 0, 1, 0, 0), 1);
    expect(iso(late.to)).toBe("2026-12-31");
    expect(iso(early.to)).toBe("2027-01-01");
  });

  it("finds each month's first day across a year boundary, once per month", () => {
    const calendar = heatmapCalendar(Date.UTC(2027, 0, 10), 1);
    const firsts = calendar.months.map((month) => iso(month.day));
    expect(firsts.at(-1)).toBe("2027-01-01");
    expect(firsts.at(-2)).toBe("2026-12-01");
    expect(firsts).toHaveLength(12);
    for (const month of calendar.months) expect(calendar.weeks[month.week]).toContain(month.day);
  });

  it("has 29 February in a leap year and not in others", () => {
    const leap = heatmapCalendar(Date.UTC(2028, 2, 15), 1)
      .weeks.flat()
      .map(iso);
    const common = heatmapCalendar(Date.UTC(2027, 2, 15), 1)
      .weeks.flat()
      .map(iso);
    expect(leap).toContain("2028-02-29");
    expect(leap).toContain("2028-03-01");
    expect(common).not.toContain("2027-02-29");
    expect(common).toContain("2027-02-28");
  });

  it("labels weekdays, months and days in the page's language", () => {
    expect(weekdayLabels("en", 0)).toEqual(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
    expect(weekdayLabels("sv", 1)).toEqual(["mån", "tis", "ons", "tors", "fre", "lör", "sön"]);
    expect(monthLabel(Date.UTC(2026, 2, 1), "en")).toBe("Mar");
    expect(monthLabel(Date.UTC(2026, 2, 1), "sv")).toBe("mars");
    expect(formatLongDate(Date.UTC(2026, 2, 3), "en")).toBe("March 3, 2026");
    expect(formatLongDate(Date.UTC(2026, 2, 3), "sv")).toBe("3 mars 2026");
  });

  it("groups active days by UTC month for the screen-reader table, across a year boundary", () => {
    const days = [Date.UTC(2026, 11, 30), Date.UTC(2026, 11, 31), Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 5)];
    expect(activeDaysByMonth(days)).toEqual([
      { month: Date.UTC(2026, 11, 1), dates: [30, 31] },
      { month: Date.UTC(2027, 0, 1), dates: [1, 5] },
    ]);
    expect(monthYearLabel(Date.UTC(2027, 0, 1), "en")).toBe("January 2027");
    expect(monthYearLabel(Date.UTC(2027, 0, 1), "sv")).toBe("januari 2027");
  });
});
