// Deactivating dormant accounts in bulk: the members selected in the list, or all inactive 90+ days.
import { useTranslation } from "react-i18next";
import { IntentForm } from "~/components/IntentForm";
import { BULK_FORM_ID } from "./MemberList";

/** The two bulk buttons; the server asks before acting (see ConfirmationQuestion). */
export function BulkDeactivation({ dormant, asOf }: { dormant: number; asOf: number }) {
  const { t } = useTranslation();
  return (
    <div className="bulk-actions">
      {/* The list's checkboxes belong to this form (form="bulk-deactivate"). */}
      <IntentForm
        id={BULK_FORM_ID}
        intent="deactivateSelected"
        label={t("members.deactivateSelected")}
        buttonClassName="secondary"
      />
      {dormant > 0 ? (
        <IntentForm
          intent="deactivateDormant"
          fields={{ asOf }}
          label={t("members.deactivateDormant", { count: dormant })}
          buttonClassName="danger"
        />
      ) : null}
    </div>
  );
}
