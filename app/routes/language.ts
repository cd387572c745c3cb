// Resource route behind the header's language switcher: stores the choice in the `lng` cookie and goes back.
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { getSessionContext } from "~/auth/session.server";
import { isLanguage } from "~/i18n/config";
import { serializeLanguageCookie } from "~/i18n/i18next.server";
import { readFormData } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/redirect";
import { updateUserLocale } from "~/users/users.server";

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const language = formData.get("lng");
  const redirectTo = safeRedirectPath(formData.get("redirectTo"));
  if (!isLanguage(language)) return redirect(redirectTo);
  const context = await getSessionContext(request);
  if (context) updateUserLocale(context.user.id, language);
  // Drop a ?lng= from the target, or it would outrank the choice just made.
  const target = new URL(redirectTo, "http://roster.invalid");
  target.searchParams.delete("lng");
  return redirect(safeRedirectPath(`${target.pathname}${target.search}`), {
    headers: { "Set-Cookie": serializeLanguageCookie(language) },
  });
}

export function loader() {
  return redirect("/");
}
