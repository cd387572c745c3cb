// The activity overview of the members page (activity.view only): the summary figures, active-member trends against
// the period before, and the chart of active members per day or week; every count links to the members it counts.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ActiveInRange, ChartKind, Trend } from "~/activity/trends";
import { ActivityDefinition } from "~/components/ActivityDefinition";
import { type MemberQuery, memberQueryString } from "~/members/member-query";
import { ActivityChart } from "./ActivityChart";

export interface ActivitySummary {
  members: number;
  active30: number;
  never: number;
  inactive90: number;
}

/** The list filtered by a status, or by active days, from the first page (the list's anchor: it is below). */
function listLink(changes: Partial<MemberQuery>, kind: ChartKind): string {
  const base: MemberQuery = { q: "", status: "all", sort: "lastActive", dir: "desc", page: 1 };
  return `${memberQueryString(base, changes)}${kind === "weekly" ? "&chart=weekly" : ""}#members-heading`;
}

const rangeLink = (range: ActiveInRange, kind: ChartKind) =>
  listLink({ activeFrom: range.from, activeTo: range.to }, kind);

function Summary({ summary, kind }: { summary: ActivitySummary; kind: ChartKind }) {
  const { t } = useTranslation();
  const figures = [
    ["members", summary.members, null],
    ["active30", summary.active30, "active30"],
    ["never", summary.never, "never"],
    ["inactive90", summary.inactive90, "inactive90"],
  ] as const;
  return (
    <dl className="summary">
      {figures.map(([key, value, status]) => (
        <div key={key}>
          <dt>{t(`activity.summary.${key}`)}</dt>
          <dd>{status ? <Link to={listLink({ status }, kind)}>{value}</Link> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "+3 (+12%)", "−2 (−5%)", "±0": the change against the period before. */
function change(current: number, previous: number): string {
  const difference = current - previous;
  const sign = difference > 0 ? "+" : difference < 0 ? "−" : "±";
  const percent = previous > 0 ? ` (${sign}${Math.round((Math.abs(difference) / previous) * 100)}%)` : "";
  return `${sign}${Math.abs(difference)}${percent}`;
}

function Trends({ trends, kind }: { trends: Trend[]; kind: ChartKind }) {
  const { t } = useTranslation();
  return (
    <div className="trends">
      <h3>{t("activity.trends.title")}</h3>
      <dl className="summary">
        {trends.map(({ days, current, previous }) => (
          <div key={days}>
            <dt>{t("activity.trends.period", { count: days })}</dt>
            <dd>
              <Link to={rangeLink(current, kind)}>{current.active}</Link>
            </dd>
            <dd className="trend-change">
              {t("activity.trends.change", {
                change: change(current.active, previous.active),
                count: days,
                previous: previous.active,
              })}{" "}
              <Link to={rangeLink(previous, kind)} aria-label={t("activity.trends.previousLink", { count: days })}>
                {t("activity.trends.who")}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t("activity.trends.note")}</p>
    </div>
  );
}

export function ActivityOverview({
  summary,
  trends,
  chart,
  locale,
  windowSeconds,
}: {
  summary: ActivitySummary;
  trends: Trend[];
  chart: { kind: ChartKind; bars: ActiveInRange[] };
  locale: string;
  windowSeconds: number;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="activity-heading" className="activity-overview">
      <h2 id="activity-heading" className="visually-hidden">
        {t("activity.title")}
      </h2>
      <Summary summary={summary} kind={chart.kind} />
      <Trends trends={trends} kind={chart.kind} />
      <ActivityChart
        kind={chart.kind}
        bars={chart.bars}
        locale={locale}
        listHref={(range) => rangeLink(range, chart.kind)}
      />
      <ActivityDefinition windowSeconds={windowSeconds} />
    </section>
  );
}
