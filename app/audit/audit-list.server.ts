// Reads the audit log for /admin/audit and its CSV: newest first, filtered, a page at a time by keyset on (at, id),
// each page one walk of an index that leads with the organization and the filter (decision 016).
import { and, asc, desc, eq, gt, gte, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "~/db/client.server";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, auditEvents } from "~/db/schema";
import { ID_PATTERN } from "~/lib/ids";
import { DAY } from "~/lib/time";
import type { AuditQuery } from "./audit-query";

export const AUDIT_PAGE_SIZE = 50;

const id = z.string().regex(ID_PATTERN).transform(Number);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((text) => dayStart(text) !== null);

const AuditQuerySchema = z.object({
  actor: z.union([z.literal("system"), id]).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  targetType: z.enum(AUDIT_TARGET_TYPES).default("member"),
  target: id.optional(),
  from: day.optional(),
  to: day.optional(),
  after: id.optional(),
  before: id.optional(),
});

/** Midnight UTC of a YYYY-MM-DD day, or null when it is no such day (2026-02-30). */
function dayStart(text: string): number | null {
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text ? null : at;
}

/** The query of a URL's search parameters (empty ones ignored), or null when it is malformed. */
export function parseAuditQuery(searchParams: URLSearchParams): AuditQuery | null {
  const raw = Object.fromEntries([...searchParams].filter(([, value]) => value !== ""));
  const parsed = AuditQuerySchema.safeParse(raw);
  if (!parsed.success || (parsed.data.after !== undefined && parsed.data.before !== undefined)) return null;
  return parsed.data;
}

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** Where a walk starts: just past this event, in the walk's direction. */
type Bound = { at: number; id: number };

/** The filter's conditions: equality on the organization and the filtered column, then a range on `at`. */
function filterConditions(organizationId: number, query: AuditQuery): SQL[] {
  const conditions = [eq(auditEvents.organizationId, organizationId)];
  if (query.actor === "system") conditions.push(isNull(auditEvents.actorMemberId));
  else if (query.actor !== undefined) conditions.push(eq(auditEvents.actorMemberId, query.actor));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.target !== undefined) {
    conditions.push(eq(auditEvents.targetType, query.targetType), eq(auditEvents.targetId, query.target));
  }
  const from = query.from ? dayStart(query.from) : null;
  const to = query.to ? dayStart(query.to) : null;
  if (from !== null) conditions.push(gte(auditEvents.at, from));
  if (to !== null) conditions.push(lt(auditEvents.at, to + DAY));
  return conditions;
}

/**
 * At most `limit` events matching the query, from `bound` (exclusive) on: newest first ("older") or oldest first
 * ("newer"). `at` bounded on one side plus a tiebreak on `id` is a range seek on the index's (…, at, id) tail.
 */
export function walkStatement(
  organizationId: number,
  query: AuditQuery,
  direction: "older" | "newer",
  bound: Bound | null,
  limit: number,
) {
  const conditions = filterConditions(organizationId, query);
  if (bound) {
    conditions.push(
      direction === "older"
        ? (and(lte(auditEvents.at, bound.at), or(lt(auditEvents.at, bound.at), lt(auditEvents.id, bound.id))) as SQL)
        : (and(gte(auditEvents.at, bound.at), or(gt(auditEvents.at, bound.at), gt(auditEvents.id, bound.id))) as SQL),
    );
  }
  const order = direction === "older" ? desc : asc;
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(order(auditEvents.at), order(auditEvents.id))
    .limit(limit);
}

/** The event a cursor names, if it is one of the organization's. */
function boundOf(organizationId: number, eventId: number): Bound | null {
  return (
    db
      .select({ at: auditEvents.at, id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.id, eventId), eq(auditEvents.organizationId, organizationId)))
      .get() ?? null
  );
}

export interface AuditPage {
  events: AuditEventRow[];
  /** Whether newer events (a previous page) and older ones (a next page) exist. */
  hasNewer: boolean;
  hasOlder: boolean;
}

/**
 * One page of the log under the query: the newest page, the page after `after` or the page before `before`. Null when
 * a cursor is not an event of this organization. A "newer" walk that finds no more than a page answers the newest
 * page, so it is always full.
 */
export function auditPage(organizationId: number, query: AuditQuery, pageSize = AUDIT_PAGE_SIZE): AuditPage | null {
  if (query.before !== undefined) {
    const bound = boundOf(organizationId, query.before);
    if (!bound) return null;
    const newer = walkStatement(organizationId, query, "newer", bound, pageSize + 1).all();
    if (newer.length > pageSize) return { events: newer.slice(0, pageSize).reverse(), hasNewer: true, hasOlder: true };
    return auditPage(organizationId, { ...query, before: undefined }, pageSize);
  }
  let bound: Bound | null = null;
  if (query.after !== undefined) {
    bound = boundOf(organizationId, query.after);
    if (!bound) return null;
  }
  const rows = walkStatement(organizationId, query, "older", bound, pageSize + 1).all();
  return { events: rows.slice(0, pageSize), hasNewer: bound !== null, hasOlder: rows.length > pageSize };
}

/**
 * Reads the log under the query in batches, newest first, each batch a short walk from where the last one ended:
 * what the CSV streams. Events written meanwhile are newer than the first batch, so they are not in the file.
 */
export function auditBatchReader(organizationId: number, query: AuditQuery) {
  let bound: Bound | null = null;
  return (limit: number) => {
    const events = walkStatement(organizationId, query, "older", bound, limit).all();
    const last = events.at(-1);
    if (last) bound = { at: last.at, id: last.id };
    return { events, done: events.length < limit };
  };
}

/**
 * How the page names the actor and target it is filtered by: the label of their newest entry (a snapshot, so it
 * names members since removed), or null when the log has none.
 */
export function filterLabels(organizationId: number, query: AuditQuery) {
  const actor =
    typeof query.actor === "number"
      ? db
          .select({ label: auditEvents.actorLabel })
          .from(auditEvents)
          .where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.actorMemberId, query.actor)))
          .orderBy(desc(auditEvents.at), desc(auditEvents.id))
          .limit(1)
          .get()?.label
      : undefined;
  const target =
    query.target !== undefined
      ? db
          .select({ label: auditEvents.targetLabel })
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.organizationId, organizationId),
              eq(auditEvents.targetType, query.targetType),
              eq(auditEvents.targetId, query.target),
            ),
          )
          .orderBy(desc(auditEvents.at), desc(auditEvents.id))
          .limit(1)
          .get()?.label
      : undefined;
  return { actor: actor ?? null, target: target ?? null };
}
