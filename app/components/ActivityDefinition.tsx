// "What counts as active?": the tracker's real rules, with the configured debounce window, wherever activity shows.
import { useTranslation } from "react-i18next";

/** The window in words: whole minutes when it is, else seconds ("5 minutes", "90 seconds"). */
function useWindowText(windowSeconds: number): string {
  const { t } = useTranslation();
  return windowSeconds % 60 === 0
    ? t("activity.window.minutes", { count: windowSeconds / 60 })
    : t("activity.window.seconds", { count: windowSeconds });
}

/** A disclosure explaining what "active" means, so "last active" is not mistaken for "last login". */
export function ActivityDefinition({ windowSeconds }: { windowSeconds: number }) {
  const { t } = useTranslation();
  return (
    <details className="activity-definition">
      <summary>{t("activity.definition.title")}</summary>
      <p>{t("activity.definition.body", { window: useWindowText(windowSeconds) })}</p>
    </details>
  );
}
