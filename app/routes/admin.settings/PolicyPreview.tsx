import { useTranslation } from "react-i18next";
import { LastActive } from "~/components/RelativeTime";
import { formatDate } from "~/lib/dates";

export interface Preview {
  /** When the next run happens (now, when today's has not). */
  asOf: number;
  total: number;
  members: { id: number; name: string; email: string; lastActiveAt: number | null }[];
}

/** Who the policy, with the form's values, would deactivate at its next run: how many, and the first of them. */
export function PolicyPreview({
  preview,
  enabled,
  previewing,
  locale,
  now,
}: {
  preview: Preview;
  enabled: boolean;
  previewing: boolean;
  locale: string;
  now: number;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="preview-heading" data-testid="policy-preview">
      <h2 id="preview-heading">{t(previewing ? "settingsPage.previewTitle" : "settingsPage.currentTitle")}</h2>
      {enabled ? null : <p className="muted">{t("settingsPage.previewOff")}</p>}
      <p>{t("settingsPage.previewCount", { count: preview.total, date: formatDate(preview.asOf, locale) })}</p>
      {preview.members.length > 0 ? (
        <table className="preview-table">
          <thead>
            <tr>
              <th scope="col">{t("fields.name")}</th>
              <th scope="col">{t("fields.email")}</th>
              <th scope="col">{t("members.lastActive")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.members.map((member) => (
              <tr key={member.id}>
                <td>{member.name || <span className="muted">{t("members.noName")}</span>}</td>
                <td>{member.email}</td>
                <td>
                  <LastActive at={member.lastActiveAt} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.total > preview.members.length ? (
        <p className="muted">{t("settingsPage.previewMore", { count: preview.total - preview.members.length })}</p>
      ) : null}
    </section>
  );
}
