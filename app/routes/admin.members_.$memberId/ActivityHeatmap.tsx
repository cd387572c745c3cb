// A year of one member's active UTC days as a calendar heatmap (server-rendered SVG), with a list for screen readers.
import { useTranslation } from "react-i18next";
import { heatmapCalendar, monthLabel, weekdayLabels, weekStartFor } from "~/activity/heatmap";
import { formatLongDate } from "~/lib/dates";

const CELL = 11;
const STEP = 14;
const LEFT = 34;
const TOP = 16;

export function ActivityHeatmap({ days, now, locale }: { days: number[]; now: number; locale: string }) {
  const { t } = useTranslation();
  const weekStart = weekStartFor(locale);
  const calendar = heatmapCalendar(now, weekStart);
  const active = new Set(days);
  const shown = days.filter((day) => day >= calendar.from);
  const weekdays = weekdayLabels(locale, weekStart);
  const activeLabel = t("memberPage.heatmap.active");
  const inactiveLabel = t("memberPage.heatmap.inactive");
  return (
    <figure className="heatmap">
      <figcaption id="heatmap-caption">
        {t("memberPage.heatmap.caption", {
          from: formatLongDate(calendar.from, locale),
          to: formatLongDate(calendar.to, locale),
          count: shown.length,
        })}
      </figcaption>
      <svg
        role="group"
        aria-labelledby="heatmap-caption"
        viewBox={`0 0 ${LEFT + calendar.weeks.length * STEP} ${TOP + 7 * STEP}`}
        className="heatmap-svg"
      >
        {calendar.months.map(({ week, day }) => (
          <text key={day} x={LEFT + week * STEP} y={TOP - 5} className="heatmap-label" aria-hidden="true">
            {monthLabel(day, locale)}
          </text>
        ))}
        {weekdays.map((name, row) =>
          row % 2 === 1 ? null : (
            <text key={name} x={0} y={TOP + row * STEP + CELL - 1} className="heatmap-label" aria-hidden="true">
              {name}
            </text>
          ),
        )}
        {calendar.weeks.map((column, week) =>
          column.map((day, row) =>
            day === null ? null : (
              <rect
                key={day}
                role="img"
                x={LEFT + week * STEP}
                y={TOP + row * STEP}
                width={CELL}
                height={CELL}
                rx={2}
                className={active.has(day) ? "heatmap-day active" : "heatmap-day"}
              >
                <title>{`${formatLongDate(day, locale)}: ${active.has(day) ? activeLabel : inactiveLabel}`}</title>
              </rect>
            ),
          ),
        )}
      </svg>
      <p className="heatmap-legend" aria-hidden="true">
        <span className="heatmap-swatch" /> {inactiveLabel} <span className="heatmap-swatch active" /> {activeLabel}
      </p>
      <div className="visually-hidden">
        <p>{t("memberPage.heatmap.listTitle", { count: shown.length })}</p>
        {shown.length > 0 ? (
          <ul>
            {shown.map((day) => (
              <li key={day}>{formatLongDate(day, locale)}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </figure>
  );
}
