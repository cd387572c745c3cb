// The shapes of the active-member trends that pages show (browser-safe; computed in trends.server.ts).

/** A span of whole UTC days, both ends included (epoch ms of their midnights), and the distinct members active in it. */
export interface ActiveInRange {
  from: number;
  to: number;
  active: number;
}

export interface Trend {
  /** The period's length in UTC days, today included: 1, 7 or 30. */
  days: number;
  current: ActiveInRange;
  previous: ActiveInRange;
}

/** The members page's chart: active members per UTC day over 30 days, or per 7-day window over 26 weeks. */
export type ChartKind = "daily" | "weekly";
