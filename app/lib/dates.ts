// Absolute dates rendered identically on server and client (UTC), so hydration never disagrees.
import { dateTimeFormat } from "~/i18n/formatters";

/** ISO 8601 in UTC, or null for "never": how exports and the API write times. */
export function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

const DATE: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeZone: "UTC" };

/** The formatter of dates such as "Sep 16, 2025" (for a list: look it up once, format every row with it). */
export function dateFormat(locale: string): Intl.DateTimeFormat {
  return dateTimeFormat(locale, DATE);
}

export function formatDate(epochMs: number, locale: string): string {
  return dateFormat(locale).format(epochMs);
}

/** The cached formatter of a UTC day in full, for many days at once (the heatmap's 371 cells). */
export function longDateFormat(locale: string): Intl.DateTimeFormat {
  return dateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
}

/** A UTC day in full: "March 3, 2026" / "3 mars 2026" (the heatmap's cells, the member page's days). */
export function formatLongDate(epochMs: number, locale: string): string {
  return longDateFormat(locale).format(epochMs);
}

/** A UTC day without its year, for chart axes: "Nov 3" / "3 nov.". */
export function formatShortDate(epochMs: number, locale: string): string {
  return dateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(epochMs);
}
