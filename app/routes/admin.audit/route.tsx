// The audit log page: every change to membership and every export of activity data, newest first, filtered by actor,
// action, target and date range in the URL, a page at a time by cursor (members.manage; the owner always).
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AUDIT_PAGE_SIZE, auditPage, filterLabels, parseAuditQuery } from "~/audit/audit-list.server";
import { auditQueryString } from "~/audit/audit-query";
import { requirePermission } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { AUDIT_ACTIONS } from "~/db/schema";
import { i18next } from "~/i18n/i18next.server";
import { useNow } from "~/lib/use-now";
import { AuditFilters } from "./AuditFilters";
import { AuditPagination } from "./AuditPagination";
import { AuditTable } from "./AuditTable";

export const handle = { title: "audit.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requirePermission(request, "members.manage");
  const query = parseAuditQuery(new URL(request.url).searchParams);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  const page = auditPage(organization.id, query, AUDIT_PAGE_SIZE);
  if (!page) throw json({ reason: "badQuery" }, { status: 400 });
  return {
    query,
    ...page,
    filterLabels: filterLabels(organization.id, query),
    actions: AUDIT_ACTIONS,
    locale: await i18next.getLocale(request),
    now: Date.now(),
  };
}

export default function AuditLog() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const now = useNow(data.now);
  return (
    <main className="page">
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      <AuditFilters query={data.query} actions={data.actions} labels={data.filterLabels} />
      <div className="list-tools">
        <Link reloadDocument to={`/admin/audit.csv${auditQueryString(data.query)}`} className="export-link">
          {t("audit.exportCsv")}
        </Link>
      </div>
      <AuditTable events={data.events} query={data.query} now={now} locale={data.locale} />
      <AuditPagination
        query={data.query}
        hasNewer={data.hasNewer}
        hasOlder={data.hasOlder}
        firstId={data.events[0]?.id}
        lastId={data.events.at(-1)?.id}
      />
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
