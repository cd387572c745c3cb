// The member page's activity section (activity.view only): last active, first active day, active days per period,
// the year's heatmap, how long history is kept and what counts as active.
import { useTranslation } from "react-i18next";
import { ActivityDefinition } from "~/components/ActivityDefinition";
import { LastActive, useAbsoluteTime } from "~/components/RelativeTime";
import { formatLongDate } from "~/lib/dates";
import { ActivityHeatmap } from "./ActivityHeatmap";

export interface MemberActivityData {
  lastActiveAt: number | null;
  days: number[];
  firstActiveDay: number | null;
  activeDays: { period: number; count: number }[];
  historyDays: number;
  windowSeconds: number;
}

function ExactTime({ at }: { at: number }) {
  return <span className="muted"> ({useAbsoluteTime(at)})</span>;
}

export function MemberActivity({
  activity,
  now,
  locale,
}: {
  activity: MemberActivityData;
  now: number;
  locale: string;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="member-activity-heading" className="member-activity">
      <h2 id="member-activity-heading">{t("activity.title")}</h2>
      <dl className="member-facts">
        <div>
          <dt>{t("members.lastActive")}</dt>
          <dd>
            <LastActive at={activity.lastActiveAt} now={now} />
            {activity.lastActiveAt !== null ? <ExactTime at={activity.lastActiveAt} /> : null}
          </dd>
        </div>
        <div>
          <dt>{t("memberPage.firstActiveDay")}</dt>
          <dd>
            {activity.firstActiveDay === null ? (
              <span className="muted">{t("time.never")}</span>
            ) : (
              formatLongDate(activity.firstActiveDay, locale)
            )}
          </dd>
        </div>
      </dl>
      <dl className="summary">
        {activity.activeDays.map(({ period, count }) => (
          <div key={period}>
            <dt>{t("memberPage.activeDaysIn", { count: period })}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
      <ActivityHeatmap days={activity.days} now={now} locale={locale} />
      <p className="muted">{t("memberPage.historyKept", { count: activity.historyDays })}</p>
      <ActivityDefinition windowSeconds={activity.windowSeconds} />
    </section>
  );
}
