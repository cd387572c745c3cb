import { useMatches, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Flash } from "~/lib/forms";

/** A route's `handle.title`: the translation key of its page title. */
export interface TitleHandle {
  title?: string;
}

/** The page's translated <title>, from the deepest route that names one ("Roster" alone elsewhere). */
export function PageTitle() {
  const { t } = useTranslation();
  const key = useMatches()
    .map((match) => (match.handle as TitleHandle | undefined)?.title)
    .filter((title): title is string => typeof title === "string")
    .at(-1);
  return <title>{key ? `${t(key)} · Roster` : "Roster"}</title>;
}

/** The flash message a successful action left for this page, announced politely to screen readers. */
export function FlashMessage() {
  const { t } = useTranslation();
  const flash = useRouteLoaderData<{ flash: Flash | null }>("root")?.flash;
  return (
    <div aria-live="polite" className="flash-area">
      {flash ? <p className="notice flash">{t(flash.key, flash.values)}</p> : null}
    </div>
  );
}
