import { useLocation, useMatches, useRouteLoaderData } from "@remix-run/react";
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

// A navigation that changes only the path does not run the root loader again, so the browser keeps its data, the
// flash included: each flash belongs to the location it arrived with and is used up once the location changes.
const arrivedAt = new WeakMap<Flash, string>();
const usedUp = new WeakSet<Flash>();

/** The flash message a successful action left for this page: on this location only (a one-time link must not reappear). */
export function useFlash(): Flash | null {
  const flash = useRouteLoaderData<{ flash: Flash | null }>("root")?.flash ?? null;
  const { key } = useLocation();
  if (!flash || usedUp.has(flash)) return null;
  const first = arrivedAt.get(flash);
  if (first === undefined) arrivedAt.set(flash, key);
  else if (first !== key) {
    usedUp.add(flash);
    return null;
  }
  return flash;
}

/** The flash message a successful action left for this page, announced politely to screen readers. */
export function FlashMessage() {
  const { t } = useTranslation();
  const flash = useFlash();
  return (
    <div aria-live="polite" className="flash-area">
      {flash ? <p className="notice flash">{t(flash.key, flash.values)}</p> : null}
    </div>
  );
}
