import { type ReactElement, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { dateTimeFormat } from "~/i18n/formatters";
import { formatRelativeTime } from "~/i18n/relative-time";
import { useHydrated } from "~/lib/use-now";

const TITLE_FORMAT: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};
const UTC_TITLE_FORMAT: Intl.DateTimeFormatOptions = { ...TITLE_FORMAT, timeZone: "UTC" };

/**
 * Renders times relative to `now` ("2 hours ago") as <time> elements whose title is the absolute date and time, and
 * "Never" for null. One per list, not per cell: the words and the formatter are looked up once. The title is in UTC on
 * the server and switches to the viewer's own time zone once hydrated, so server and client markup agree.
 */
export function useLastActiveTimes(now: number): (at: number | null) => ReactElement {
  const { t, i18n } = useTranslation();
  const hydrated = useHydrated();
  const locale = i18n.language;
  return useMemo(() => {
    const titles = dateTimeFormat(locale, hydrated ? TITLE_FORMAT : UTC_TITLE_FORMAT);
    const justNow = t("time.justNow");
    const never = t("time.never");
    return (at) =>
      at === null ? (
        <span className="muted">{never}</span>
      ) : (
        <time dateTime={new Date(at).toISOString()} title={titles.format(at)}>
          {formatRelativeTime(at, now, locale, justNow)}
        </time>
      );
  }, [t, locale, hydrated, now]);
}

/** The absolute date and time of an instant: in UTC on the server and while hydrating, then in the viewer's zone. */
export function useAbsoluteTime(at: number): string {
  const { i18n } = useTranslation();
  const hydrated = useHydrated();
  return dateTimeFormat(i18n.language, hydrated ? TITLE_FORMAT : UTC_TITLE_FORMAT).format(at);
}

/** "2 hours ago" as a <time> with the absolute date and time as its title (for one value; a list uses the hook). */
export function RelativeTime({ at, now }: { at: number; now: number }) {
  return useLastActiveTimes(now)(at);
}

/** A member's last activity, or "Never" (for one value; a list uses useLastActiveTimes once). */
export function LastActive({ at, now }: { at: number | null; now: number }) {
  return useLastActiveTimes(now)(at);
}
