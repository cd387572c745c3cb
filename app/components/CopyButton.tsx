import { useState } from "react";
import { useTranslation } from "react-i18next";

/** Copies text to the clipboard and says so; the text stays selectable for browsers without clipboard access. */
export function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        await navigator.clipboard?.writeText(text);
        setCopied(true);
      }}
    >
      {copied ? t("common.copied") : t("common.copy")}
    </button>
  );
}
