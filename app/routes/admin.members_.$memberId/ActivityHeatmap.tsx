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
  const caption = t("memberPage.heatmap.caption", {
    from: formatLongDate(calendar.from, locale),
    to: formatLongDate(calendar.to, locale),
    count: shown.length,
  });
  return (
    <figure className="heatmap">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${LEFT + calendar.weeks.length * STEP} ${TOP + 7 * STEP}`} className="heatmap-svg">
        <title>{caption}</title>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> is not focusable; these axis labels are for the eye, each day's <title> names its date */}
        <g aria-hidden="true" className="heatmap-label">
          {calendar.months.map(({ week, day }) => (
            <text key={day} x={LEFT + week * STEP} y={TOP - 5}>
              {monthLabel(day, locale)}
            </text>
          ))}
          {weekdays.map((name, row) =>
            row % 2 === 1 ? null : (
              <text key={name} x={0} y={TOP + row * STEP + CELL - 1}>
                {name}
              </text>
            ),
          )}
        </g>
        {calendar.weeks.map((column, week) =>
          column.map((day, row) =>
            day === null ? null : (
              <rect
                key={day}
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
