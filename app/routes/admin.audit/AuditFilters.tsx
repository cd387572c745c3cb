// The audit log's filters: action and date range in a GET form; actor and target (set from a row's links or the
// members page) shown as removable filters and kept by the form.
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { type AuditQuery, auditQueryString } from "~/audit/audit-query";
import type { AuditAction } from "~/db/schema";

interface AuditFiltersProps {
  query: AuditQuery;
  actions: readonly AuditAction[];
  /** How the actor and target filtered by are named (their newest entry's label), null when the log has none. */
  labels: { actor: string | null; target: string | null };
}

export function AuditFilters({ query, actions, labels }: AuditFiltersProps) {
  const { t } = useTranslation();
  const actorLabel =
    query.actor === "system" ? t("audit.system") : (labels.actor ?? (query.actor ? `#${query.actor}` : ""));
  return (
    <Form method="get" className="filters" role="search">
      {query.actor !== undefined ? (
        <p className="active-filter">
          <input type="hidden" name="actor" value={query.actor} />
          {t("audit.actorFilter", { label: actorLabel })}{" "}
          <Link to={auditQueryString(query, { actor: undefined })}>{t("audit.removeFilter")}</Link>
        </p>
      ) : null}
      {query.target !== undefined ? (
        <p className="active-filter">
          <input type="hidden" name="targetType" value={query.targetType} />
          <input type="hidden" name="target" value={query.target} />
          {t("audit.targetFilter", { label: labels.target ?? `#${query.target}` })}{" "}
          <Link to={auditQueryString(query, { target: undefined })}>{t("audit.removeFilter")}</Link>
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="audit-action">{t("audit.columns.action")}</label>
        <select id="audit-action" name="action" defaultValue={query.action ?? ""}>
          <option value="">{t("audit.allActions")}</option>
          {actions.map((action) => (
            <option key={action} value={action}>
              {t(`audit.actions.${action}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-from">{t("audit.from")}</label>
        <input id="audit-from" type="date" name="from" defaultValue={query.from ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">{t("audit.to")}</label>
        <input id="audit-to" type="date" name="to" defaultValue={query.to ?? ""} />
      </div>
      <button type="submit" className="secondary">
        {t("audit.applyFilters")}
      </button>
    </Form>
  );
}
