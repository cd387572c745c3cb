import { useTranslation } from "react-i18next";
import { formatDate } from "~/lib/dates";

/** Active members per day as an SVG bar chart, with the numbers in a table for screen readers. */
export function ActivityChart({ days, locale }: { days: { day: number; active: number }[]; locale: string }) {
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
