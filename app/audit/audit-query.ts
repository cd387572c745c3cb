// The audit page's query string (?actor, action, targetType + target, from, to, after/before): its shape and the links
// built from it, browser-safe; parsed on the server by parseAuditQuery (audit-list.server.ts).
import type { AuditAction, AuditTargetType } from "~/db/schema";

export interface AuditQuery {
  /** A member's id, or "system" for automatic actions. */
  actor?: number | "system";
  action?: AuditAction;
  /** What `target` is the id of (a member unless said otherwise). */
  targetType: AuditTargetType;
  target?: number;
  /** Days in UTC, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  /** The page starts just after this event, newest first (an "older" link). */
  after?: number;
  /** The page ends just before this event (a "newer" link). */
  before?: number;
}

/** The query string for the same filters with some changed (the cursor reset unless given). */
export function auditQueryString(query: AuditQuery, changes: Partial<AuditQuery> = {}): string {
  const next = { ...query, after: undefined, before: undefined, ...changes };
  const params = new URLSearchParams();
  if (next.actor !== undefined) params.set("actor", String(next.actor));
  if (next.action) params.set("action", next.action);
  if (next.target !== undefined) {
    if (next.targetType !== "member") params.set("targetType", next.targetType);
    params.set("target", String(next.target));
  }
  if (next.from) params.set("from", next.from);
  if (next.to) params.set("to", next.to);
  if (next.after !== undefined) params.set("after", String(next.after));
  else if (next.before !== undefined) params.set("before", String(next.before));
  const text = params.toString();
  return text ? `?${text}` : "";
}
