// The members list's query string (?q, role, status, activeFrom/activeTo, sort, dir, page, after/before): parsed once,
// shared by page, CSV and links.
import { z } from "zod";
import { ID_PATTERN } from "~/lib/ids";

export const SORT_COLUMNS = ["name", "email", "roles", "lastActive", "memberSince"] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

// "due": members the dormant-account policy deactivates within 14 days (app/dormant/).
export const STATUS_FILTERS = ["all", "active30", "inactive90", "never", "deactivated", "due"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Filters and sorts that reveal activity data: only activity.view holders may use them. */
export function usesActivityData(query: MemberQuery): boolean {
  return (
    query.sort === "lastActive" ||
    (query.status !== "all" && query.status !== "deactivated") ||
    query.activeFrom !== undefined
  );
}

/** The longest span of days the active-days filter takes (the history kept is about this long anyway). */
export const MAX_ACTIVE_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

/** A UTC day as YYYY-MM-DD, its midnight's epoch ms as the value. */
const utcDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .transform((text) => Date.parse(`${text}T00:00:00Z`))
  .refine((day) => Number.isFinite(day) && day >= 0);

/** The query string's form of a UTC day (epoch ms of its midnight). */
export function dayParam(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

const optionalId = z.string().regex(ID_PATTERN).transform(Number);

const MemberQuerySchema = z.object({
  q: z.string().trim().max(200).default(""),
  role: optionalId.optional(),
  status: z.enum(STATUS_FILTERS).default("all"),
  sort: z.enum(SORT_COLUMNS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .default("1"),
  // Members with a recorded active UTC day from activeFrom to activeTo, both included (the trends' and charts' links).
  activeFrom: utcDate.optional(),
  activeTo: utcDate.optional(),
  // The member the page starts after (next) or ends before (previous): docs/decisions/013-members-list-keyset.md.
  after: optionalId.optional(),
  before: optionalId.optional(),
});

export type MemberQuery = {
  q: string;
  role?: number;
  status: StatusFilter;
  /** Active on at least one UTC day from activeFrom to activeTo (epoch ms of midnights); both or neither. */
  activeFrom?: number;
  activeTo?: number;
  sort: SortColumn;
  dir: "asc" | "desc";
  page: number;
  /** The page starts just after this member, in the list's order (a "next" link). */
  after?: number;
  /** The page ends just before this member (a "previous" link). */
  before?: number;
};

/** Times sort newest first on the first click; text sorts A–Z. */
export function defaultDirection(column: SortColumn): "asc" | "desc" {
  return column === "lastActive" || column === "memberSince" ? "desc" : "asc";
}

/** Defaults: last active, newest first — or name A–Z for viewers who may not see activity. */
export function parseMemberQuery(searchParams: URLSearchParams, canViewActivity: boolean): MemberQuery | null {
  const raw = Object.fromEntries([...searchParams].filter(([, value]) => value !== ""));
  const parsed = MemberQuerySchema.safeParse(raw);
  if (!parsed.success || (parsed.data.after !== undefined && parsed.data.before !== undefined)) return null;
  const { activeFrom, activeTo } = parsed.data;
  if ((activeFrom === undefined) !== (activeTo === undefined)) return null;
  if (activeFrom !== undefined && activeTo !== undefined) {
    if (activeTo < activeFrom || activeTo - activeFrom >= MAX_ACTIVE_RANGE_DAYS * DAY_MS) return null;
  }
  const sort = parsed.data.sort ?? (canViewActivity ? "lastActive" : "name");
  return { ...parsed.data, sort, dir: parsed.data.dir ?? defaultDirection(sort) };
}

/** The query string for the same list with some parameters changed (page and cursor reset unless given). */
export function memberQueryString(query: MemberQuery, changes: Partial<MemberQuery>): string {
  const next = { ...query, page: 1, after: undefined, before: undefined, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.role !== undefined) params.set("role", String(next.role));
  if (next.status !== "all") params.set("status", next.status);
  if (next.activeFrom !== undefined && next.activeTo !== undefined) {
    params.set("activeFrom", dayParam(next.activeFrom));
    params.set("activeTo", dayParam(next.activeTo));
  }
  params.set("sort", next.sort);
  params.set("dir", next.dir);
  if (next.page > 1) params.set("page", String(next.page));
  if (next.after !== undefined) params.set("after", String(next.after));
  else if (next.before !== undefined) params.set("before", String(next.before));
  return `?${params}`;
}

/** The filter and sort of an export as its audit entry records them (only what was set; no cursor or page). */
export function exportFilter(query: MemberQuery): Record<string, string | number> {
  const filter: Record<string, string | number> = { status: query.status, sort: query.sort, dir: query.dir };
  if (query.q) filter.q = query.q;
  if (query.role !== undefined) filter.role = query.role;
  return filter;
}
