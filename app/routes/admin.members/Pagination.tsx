// The members list's page links: where this page sits in the list; first, previous, next and last.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { type MemberQuery, memberQueryString } from "~/members/member-query";

interface PaginationProps {
  query: MemberQuery;
  total: number;
  pageSize: number;
  /** How many members this page shows, and the first and last of them (where the next and previous pages start). */
  shown: number;
  firstId?: number;
  lastId?: number;
}

/**
 * Previous and next carry a cursor (the member the page ends before or starts after), so the server reads only the
 * page; first and last are numbered pages, read from either end of the index (docs/decisions/013-members-list-keyset.md).
 */
export function Pagination({ query, total, pageSize, shown, firstId, lastId }: PaginationProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = shown === 0 ? 0 : Math.min(total, (query.page - 1) * pageSize + 1);
  const last = shown === 0 ? 0 : Math.min(total, first + shown - 1);
  const previous = query.page === 2 || firstId === undefined ? { page: 1 } : { page: query.page - 1, before: firstId };
  return (
    <nav className="pagination" aria-label={t("members.pagination")}>
      <span>{t("members.showing", { first, last, total })}</span>
      {query.page > 2 ? (
        <Link to={memberQueryString(query, { page: 1 })} rel="first">
          {t("members.firstPage")}
        </Link>
      ) : null}
      {query.page > 1 ? (
        <Link to={memberQueryString(query, previous)} rel="prev">
          {t("members.previous")}
        </Link>
      ) : null}
      {query.page < pages && shown === pageSize && lastId !== undefined ? (
        <Link to={memberQueryString(query, { page: query.page + 1, after: lastId })} rel="next">
          {t("members.next")}
        </Link>
      ) : null}
      {query.page < pages - 1 ? (
        <Link to={memberQueryString(query, { page: pages })} rel="last">
          {t("members.lastPage")}
        </Link>
      ) : null}
    </nav>
  );
}
