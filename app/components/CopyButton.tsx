import { useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * Copies the text of the input with id `targetId` and says so. Where the clipboard API is missing or refuses
 * (plain http away from localhost), it selects the text instead so Ctrl-C / ⌘-C copies it.
 */
export function CopyButton({ targetId }: { targetId: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        const input = document.getElementById(targetId);
        if (!(input instanceof HTMLInputElement)) return;
        try {
          if (!navigator.clipboard) throw new Error("no clipboard");
          await navigator.clipboard.writeText(input.value);
          setState("copied");
        } catch {
          input.select();
          setState("selected");
        }
      }}
    >
      {state === "copied" ? t("common.copied") : state === "selected" ? t("common.selected") : t("common.copy")}
    </button>
  );
}
