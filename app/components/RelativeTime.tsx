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

/**
 * "2 hours ago" as a <time> whose title is the absolute date and time. The title is rendered in UTC on the server
 * and switches to the viewer's own time zone once hydrated, so server and client markup agree.
 */
export function RelativeTime({ at, now }: { at: number; now: number }) {
  const { t, i18n } = useTranslation();
  return (
    <time dateTime={new Date(at).toISOString()} title={useAbsoluteTime(at)}>
      {formatRelativeTime(at, now, i18n.language, t("time.justNow"))}
    </time>
  );
}

/** The absolute date and time of an instant: in UTC on the server and while hydrating, then in the viewer's zone. */
export function useAbsoluteTime(at: number): string {
  const { i18n } = useTranslation();
  const hydrated = useHydrated();
  return dateTimeFormat(i18n.language, hydrated ? TITLE_FORMAT : { ...TITLE_FORMAT, timeZone: "UTC" }).format(at);
}

/** A member's last activity, or "Never". */
export function LastActive({ at, now }: { at: number | null; now: number }) {
  const { t } = useTranslation();
  return at === null ? <span className="muted">{t("time.never")}</span> : <RelativeTime at={at} now={now} />;
}
