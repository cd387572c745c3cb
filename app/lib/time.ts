// Time units in milliseconds, shared by server and browser code.
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The UTC day containing an instant, as the epoch milliseconds of that day's midnight (UTC). */
export function utcDay(epochMs: number): number {
  return epochMs - (epochMs % DAY);
}
