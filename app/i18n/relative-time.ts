// "Last active" labels: picks the unit by fixed thresholds (just now under a minute, then minutes, hours, days under 7,
// weeks under 30, months under 365, years: SPEC §5) and lets CLDR (Intl.RelativeTimeFormat) word it.
import { DAY, HOUR, MINUTE } from "~/lib/time";
import { relativeTimeFormat } from "./formatters";

export type RelativeTime =
  | { unit: "justNow" }
  | { unit: "minute" | "hour" | "day" | "week" | "month" | "year"; value: number };

/** How long ago `then` was, in the largest whole unit the thresholds allow (future times read as "just now"). */
export function relativeTime(then: number, now: number): RelativeTime {
  const elapsed = now - then;
  if (elapsed < MINUTE) return { unit: "justNow" };
  if (elapsed < HOUR) return { unit: "minute", value: Math.floor(elapsed / MINUTE) };
  if (elapsed < DAY) return { unit: "hour", value: Math.floor(elapsed / HOUR) };
  const days = Math.floor(elapsed / DAY);
  if (days < 7) return { unit: "day", value: days };
  if (days < 30) return { unit: "week", value: Math.floor(days / 7) };
  if (days < 365) return { unit: "month", value: Math.floor(days / 30) };
  return { unit: "year", value: Math.floor(days / 365) };
}

/** E.g. "2 hours ago" / "för 2 timmar sedan", "yesterday" / "igår"; `justNow` is the translated "just now". */
export function formatRelativeTime(then: number, now: number, locale: string, justNow: string): string {
  const relative = relativeTime(then, now);
  return relative.unit === "justNow" ? justNow : relativeTimeFormat(locale).format(-relative.value, relative.unit);
}
