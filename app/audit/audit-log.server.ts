// Writes the audit log: one entry per change to membership or export of activity data, inside the caller's transaction.
import { db } from "~/db/client.server";
import { type AuditAction, type AuditTargetType, auditEvents } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { chunks } from "~/members/authority.server";
import { memberIdentity } from "~/members/member-identity.server";

export type { AuditAction, AuditTargetType } from "~/db/schema";

/** Who made a change: a member of the organization, or the system (automatic actions such as the dormant sweep). */
export type AuditActor = { memberId: number; label?: string } | "system";

/** Before → after of one thing a change touched (roles as names, permissions, status, a policy setting). */
export interface Transition<T> {
  before: T;
  after: T;
}

/**
 * What an entry records besides who and what: the transitions it made (`roles`, `permissions`, `status`, `name`,
 * policy settings), a role deletion's `reassignedTo`, an export's `format` and `filter`. Never last-active values.
 */
export type AuditChange = Record<string, Transition<unknown> | unknown>;

export interface AuditEntry {
  organizationId: number;
  actor: AuditActor;
  action: AuditAction;
  target: { type: AuditTargetType; id: number | null; label: string };
  change?: AuditChange;
  /** Defaults to now; a batch (one sweep, one bulk action) may pass one time for all its entries. */
  at?: number;
}

/** How entries name a member: "Name <email>", or the email alone until they set a name. */
export function memberAuditLabel(organizationId: number, memberId: number): string {
  const row = memberIdentity(organizationId, memberId);
  return row ? auditLabel(row) : `#${memberId}`;
}

/** "Name <email>", or the email alone while there is no name. */
export function auditLabel({ name, email }: { name: string; email: string }): string {
  return name ? `${name} <${email}>` : email;
}

/**
 * Appends entries. Call it inside the write transaction of the change it records (writeTransaction), so the change and
 * its entry are stored together or not at all; the actor's label is read in that transaction.
 */
export function recordAudit(...entries: AuditEntry[]): void {
  if (entries.length === 0) return;
  const now = Date.now();
  const actorLabels = new Map<number, string>();
  const labelOf = (organizationId: number, memberId: number) => {
    let label = actorLabels.get(memberId);
    if (label === undefined) {
      label = memberAuditLabel(organizationId, memberId);
      actorLabels.set(memberId, label);
    }
    return label;
  };
  const rows = entries.map((entry) => ({
    organizationId: entry.organizationId,
    at: entry.at ?? now,
    actorMemberId: entry.actor === "system" ? null : entry.actor.memberId,
    actorLabel:
      entry.actor === "system" ? null : (entry.actor.label ?? labelOf(entry.organizationId, entry.actor.memberId)),
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    targetLabel: entry.target.label,
    change: entry.change ?? {},
  }));
  // A bulk action or a sweep may record thousands; one statement binds 10 variables per row.
  for (const slice of chunks(rows)) db.insert(auditEvents).values(slice).run();
}

/**
 * Records that a member exported activity data (`/admin/members.csv`, a page of `/api/org/members-with-roles`): who,
 * in which format, with which filter — never what the export contained. Its own short write transaction, run before
 * the first byte of the export is sent: an export the log cannot record is refused (503), not sent unrecorded.
 */
export function recordActivityExport(
  actor: { organizationId: number; memberId: number; label?: string },
  export_: { label: string; format: "csv" | "json"; filter: Record<string, string | number> },
): void {
  writeTransaction(() =>
    recordAudit({
      organizationId: actor.organizationId,
      actor,
      action: "activity.exported",
      target: { type: "export", id: null, label: export_.label },
      change: { format: export_.format, filter: export_.filter },
    }),
  );
}
