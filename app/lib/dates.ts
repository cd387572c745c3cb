// Absolute dates rendered identically on server and client (UTC), so hydration never disagrees.
export function formatDate(epochMs: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(epochMs);
}
