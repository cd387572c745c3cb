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
