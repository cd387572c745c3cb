// Says that the list is narrowed to the members active in a range of days (a trend's or a chart bar's link), with a
// way back to the whole list: the filter form has no field for it.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatLongDate } from "~/lib/dates";
import { type MemberQuery, memberQueryString } from "~/members/member-query";

export function ActiveRangeNotice({ query, locale }: { query: MemberQuery; locale: string }) {
  const { t } = useTranslation();
  if (query.activeFrom === undefined || query.activeTo === undefined) return null;
  const range =
    query.activeFrom === query.activeTo
      ? formatLongDate(query.activeFrom, locale)
      : `${formatLongDate(query.activeFrom, locale)} – ${formatLongDate(query.activeTo, locale)}`;
  return (
    <p className="notice">
      {t("members.activeRange", { range })}{" "}
      <Link to={memberQueryString(query, { activeFrom: undefined, activeTo: undefined })}>
        {t("members.activeRangeClear")}
      </Link>
    </p>
  );
}
