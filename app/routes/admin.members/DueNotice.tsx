import { useTranslation } from "react-i18next";
import { formatDate } from "~/lib/dates";

/** "Deactivated on 12 Jan 2027 if still inactive": the dormant-account policy's date for a member (decision 017). */
export function DueNotice({ on, locale }: { on: number; locale: string }) {
  const { t } = useTranslation();
  return <small className="due-notice">{t("members.dueOn", { date: formatDate(on, locale) })}</small>;
}
