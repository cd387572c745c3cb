// The audit log's rows: when (relative, absolute in the title), who, what, to whom, and the change made.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { type AuditQuery, auditQueryString } from "~/audit/audit-query";
import { RelativeTime } from "~/components/RelativeTime";
import type { AuditAction, AuditTargetType } from "~/db/schema";
import { AuditChange } from "./AuditChange";

export interface AuditRow {
  id: number;
  at: number;
  actorMemberId: number | null;
  actorLabel: string | null;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: number | null;
  targetLabel: string;
  change: Record<string, unknown>;
}

interface AuditTableProps {
  events: AuditRow[];
  query: AuditQuery;
  now: number;
  locale: string;
}

export function AuditTable({ events, query, now, locale }: AuditTableProps) {
  const { t } = useTranslation();
  if (events.length === 0) return <p className="muted">{t("audit.empty")}</p>;
  return (
    <table className="audit-table">
      <thead>
        <tr>
          <th scope="col">{t("audit.columns.time")}</th>
          <th scope="col">{t("audit.columns.actor")}</th>
          <th scope="col">{t("audit.columns.action")}</th>
          <th scope="col">{t("audit.columns.target")}</th>
          <th scope="col">{t("audit.columns.change")}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id} data-action={event.action}>
            <td>
              <RelativeTime at={event.at} now={now} />
            </td>
            <td>
              <Link to={auditQueryString(query, { actor: event.actorMemberId ?? "system" })}>
                {event.actorMemberId === null ? t("audit.system") : event.actorLabel}
              </Link>
            </td>
            <td>{t(`audit.actions.${event.action}`)}</td>
            <td>
              {event.targetType !== "member" ? (
                <span className="muted">{t(`audit.targetTypes.${event.targetType}`)}: </span>
              ) : null}
              {event.targetId === null ? (
                event.targetLabel
              ) : (
                <Link to={auditQueryString(query, { targetType: event.targetType, target: event.targetId })}>
                  {event.targetLabel}
                </Link>
              )}
            </td>
            <td>
              <AuditChange change={event.change} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
