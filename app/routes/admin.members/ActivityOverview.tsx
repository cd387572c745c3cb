// The activity overview of the members page (activity.view only): the summary figures and active members per day.
import { useTranslation } from "react-i18next";
import { formatDate } from "~/lib/dates";

/** Active members per day as an SVG bar chart, with the numbers in a table for screen readers. */
function ActivityChart({ days, locale }: { days: { day: number; active: number }[]; locale: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...days.map((day) => day.active));
  const barWidth = 10;
  const gap = 4;
  const height = 80;
  return (
    <figure className="activity-chart">
      <figcaption>{t("activity.chartTitle")}</figcaption>
      <svg
        viewBox={`0 0 ${days.length * (barWidth + gap)} ${height}`}
        role="img"
        aria-label={t("activity.chartTitle")}
        preserveAspectRatio="none"
      >
        {days.map((day, index) => {
          const barHeight = (day.active / max) * (height - 4);
          return (
            <rect
              key={day.day}
              x={index * (barWidth + gap)}
              y={height - barHeight}
              width={barWidth}
              height={Math.max(barHeight, day.active > 0 ? 2 : 0)}
            >
              <title>{t("activity.chartBar", { date: formatDate(day.day, locale), count: day.active })}</title>
            </rect>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <th scope="row">{formatDate(day.day, locale)}</th>
              <td>{day.active}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export interface ActivitySummary {
  members: number;
  active30: number;
  never: number;
  inactive90: number;
}

function Summary({ summary }: { summary: ActivitySummary }) {
  const { t } = useTranslation();
  const figures = [
    ["members", summary.members],
    ["active30", summary.active30],
    ["never", summary.never],
    ["inactive90", summary.inactive90],
  ] as const;
  return (
    <dl className="summary">
      {figures.map(([key, value]) => (
        <div key={key}>
          <dt>{t(`activity.summary.${key}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ActivityOverview({
  summary,
  days,
  locale,
}: {
  summary: ActivitySummary;
  days: { day: number; active: number }[];
  locale: string;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="activity-heading" className="activity-overview">
      <h2 id="activity-heading" className="visually-hidden">
        {t("activity.title")}
      </h2>
      <Summary summary={summary} />
      <ActivityChart days={days} locale={locale} />
    </section>
  );
}
