// The members list's page links: where this page sits in the list, previous and next.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { type MemberQuery, memberQueryString } from "~/members/member-query";

export function Pagination({ query, total, pageSize }: { query: MemberQuery; total: number; pageSize: number }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (query.page - 1) * pageSize + 1;
  const last = Math.min(total, query.page * pageSize);
  return (
    <nav className="pagination" aria-label={t("members.pagination")}>
      <span>{t("members.showing", { first, last, total })}</span>
      {query.page > 1 ? (
        <Link to={memberQueryString(query, { page: query.page - 1 })} rel="prev">
          {t("members.previous")}
        </Link>
      ) : null}
      {query.page < pages ? (
        <Link to={memberQueryString(query, { page: query.page + 1 })} rel="next">
          {t("members.next")}
        </Link>
      ) : null}
    </nav>
  );
}
