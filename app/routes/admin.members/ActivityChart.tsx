// Active members per UTC day (30 days) or per 7-day window (26 weeks) as an SVG bar chart: a count scale, a date
// axis, and each bar a link to exactly those members whose name says its dates and count (shown on hover and focus).
import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ActiveInRange, ChartKind } from "~/activity/trends";
import { formatLongDate, formatShortDate } from "~/lib/dates";

const WIDTH = 640;
const HEIGHT = 190;
const LEFT = 34;
const TOP = 22;
const BOTTOM = 22;
const PLOT = HEIGHT - TOP - BOTTOM;

/** The page with the chart switched, the list's own query kept. */
function useChartHref() {
  const { search } = useLocation();
  return (kind: ChartKind) => {
    const params = new URLSearchParams(search);
    params.delete("chart");
    if (kind === "weekly") params.set("chart", "weekly");
    return `?${params}`;
  };
}

/** "Nov 3, 2026" for a day, "Nov 3 – Nov 9, 2026" for a window. */
function rangeLabel(range: ActiveInRange, locale: string): string {
  return range.from === range.to
    ? formatLongDate(range.from, locale)
    : `${formatShortDate(range.from, locale)} – ${formatLongDate(range.to, locale)}`;
}

export function ActivityChart({
  kind,
  bars,
  locale,
  listHref,
}: {
  kind: ChartKind;
  bars: ActiveInRange[];
  locale: string;
  /** The members list filtered to the members active in a range. */
  listHref: (range: ActiveInRange) => string;
}) {
  const { t } = useTranslation();
  const chartHref = useChartHref();
  const max = Math.max(1, ...bars.map((bar) => bar.active));
  const step = (WIDTH - LEFT) / bars.length;
  const y = (count: number) => TOP + PLOT - (count / max) * PLOT;
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  // Date labels under every 7th day or 4th week, counted back from the last bar so today is always labelled.
  const labelEvery = kind === "daily" ? 7 : 4;
  const title = t(kind === "daily" ? "activity.chartTitle" : "activity.chartTitleWeekly");
  return (
    <figure className="activity-chart">
      <figcaption>
        {title}{" "}
        <span className="chart-switch">
          {(["daily", "weekly"] as const).map((option) => (
            <Link
              key={option}
              to={chartHref(option)}
              preventScrollReset
              aria-current={option === kind ? "true" : undefined}
            >
              {t(`activity.chart.${option}`)}
            </Link>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart-svg">
        <title>{title}</title>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> is not focusable; the scale and axis are for the eye, each bar's link names its dates and count */}
        <g aria-hidden="true" className="chart-axis">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={LEFT - 4} x2={WIDTH} y1={y(tick)} y2={y(tick)} />
              <text x={LEFT - 6} y={y(tick) + 3} textAnchor="end">
                {tick}
              </text>
            </g>
          ))}
          {bars.map((bar, index) =>
            (bars.length - 1 - index) % labelEvery === 0 ? (
              <text
                key={bar.from}
                x={LEFT + index * step + step / 2}
                y={HEIGHT - 6}
                textAnchor={index === bars.length - 1 ? "end" : "middle"}
              >
                {formatShortDate(bar.to, locale)}
              </text>
            ) : null,
          )}
        </g>
        {bars.map((bar, index) => {
          const label = t("activity.chartBar", { date: rangeLabel(bar, locale), count: bar.active });
          const x = LEFT + index * step;
          const anchor = index < bars.length / 3 ? "start" : index > (2 * bars.length) / 3 ? "end" : "middle";
          const tipX = anchor === "start" ? x : anchor === "end" ? x + step : x + step / 2;
          return (
            <a key={bar.from} href={listHref(bar)} aria-label={label} className="chart-bar">
              <rect x={x} y={TOP} width={step} height={PLOT} className="chart-hit" />
              <rect x={x + 1} y={y(bar.active)} width={Math.max(step - 2, 1)} height={TOP + PLOT - y(bar.active)} />
              <text x={tipX} y={TOP - 8} textAnchor={anchor} className="chart-tip">
                {label}
              </text>
            </a>
          );
        })}
      </svg>
    </figure>
  );
}
