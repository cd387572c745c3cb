import { describe, expect, it } from "vitest";
import { formatRelativeTime, relativeTime } from "~/i18n/relative-time";
import { DAY, HOUR, MINUTE, SECOND } from "~/lib/time";

const now = Date.UTC(2026, 10, 28, 12, 0, 0);
const ago = (ms: number) => now - ms;

describe("relativeTime thresholds", () => {
  it.each([
    [0, { unit: "justNow" }],
    [59 * SECOND, { unit: "justNow" }],
    [MINUTE, { unit: "minute", value: 1 }],
    [59 * MINUTE + 59 * SECOND, { unit: "minute", value: 59 }],
    [HOUR, { unit: "hour", value: 1 }],
    [23 * HOUR + 59 * MINUTE, { unit: "hour", value: 23 }],
    [DAY, { unit: "day", value: 1 }],
    [6 * DAY + 23 * HOUR, { unit: "day", value: 6 }],
    [7 * DAY, { unit: "week", value: 1 }],
    [29 * DAY, { unit: "week", value: 4 }],
    [30 * DAY, { unit: "month", value: 1 }],
    [364 * DAY, { unit: "month", value: 12 }],
    [365 * DAY, { unit: "year", value: 1 }],
    [3 * 365 * DAY + 100 * DAY, { unit: "year", value: 3 }],
  ])("%d ms ago → %o", (elapsed, expected) => {
    expect(relativeTime(ago(elapsed), now)).toEqual(expected);
  });

  it("reads a time slightly in the future (clock skew) as just now", () => {
    expect(relativeTime(now + 5 * SECOND, now)).toEqual({ unit: "justNow" });
  });
});

describe("formatRelativeTime words it through CLDR", () => {
  it.each([
    ["en", 30 * SECOND, "just now"],
    ["en", 5 * MINUTE, "5 minutes ago"],
    ["en", 2 * HOUR, "2 hours ago"],
    ["en", DAY, "yesterday"],
    ["en", 3 * DAY, "3 days ago"],
    ["en", 14 * DAY, "2 weeks ago"],
    ["en", 45 * DAY, "last month"],
    ["en", 800 * DAY, "2 years ago"],
    ["sv", 30 * SECOND, "alldeles nyss"],
    ["sv", 2 * HOUR, "för 2 timmar sedan"],
    ["sv", DAY, "i går"],
    ["sv", 14 * DAY, "för 2 veckor sedan"],
    ["sv", 800 * DAY, "för 2 år sedan"],
  ])("%s, %d ms ago → %s", (locale, elapsed, expected) => {
    const justNow = locale === "sv" ? "alldeles nyss" : "just now";
    expect(formatRelativeTime(ago(elapsed), now, locale, justNow)).toBe(expected);
  });
});
