// The audit log's page links: newest, newer and older, each a cursor on the event the page starts or ends with.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { type AuditQuery, auditQueryString } from "~/audit/audit-query";

interface AuditPaginationProps {
  query: AuditQuery;
  hasNewer: boolean;
  hasOlder: boolean;
  firstId?: number;
  lastId?: number;
}

/** No page numbers and no total: counting a filtered log of 100,000 events would read all of them (decision 016). */
export function AuditPagination({ query, hasNewer, hasOlder, firstId, lastId }: AuditPaginationProps) {
  const { t } = useTranslation();
  if (!hasNewer && !hasOlder) return null;
  return (
    <nav className="pagination" aria-label={t("audit.pagination")}>
      {hasNewer ? (
        <Link to={auditQueryString(query)} rel="first">
          {t("audit.newest")}
        </Link>
      ) : null}
      {hasNewer && firstId !== undefined ? (
        <Link to={auditQueryString(query, { before: firstId })} rel="prev">
          {t("audit.newer")}
        </Link>
      ) : null}
      {hasOlder && lastId !== undefined ? (
        <Link to={auditQueryString(query, { after: lastId })} rel="next">
          {t("audit.older")}
        </Link>
      ) : null}
    </nav>
  );
}
