// Sign-in page: email and password, rate-limited, then a fresh session in the user's most recent organization.
import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { clientAddress } from "~/auth/client-address.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { getSessionContext } from "~/auth/session.server";
import { redirectSignedIn, signIn } from "~/auth/sign-in.server";
import { EmailField, FormError, PasswordField } from "~/components/Field";
import { isLanguage } from "~/i18n/config";
import { serializeLanguageCookie } from "~/i18n/i18next.server";
import { emailField, failureFor, passwordField } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/redirect";
import { hasAnyOrganization } from "~/organizations/organizations.server";

export const handle = { title: "login.title" };

const LoginForm = z.object({ email: emailField, password: passwordField });

export { keepActionHeaders as headers } from "~/lib/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  if (!hasAnyOrganization()) throw redirect("/setup");
  const context = await getSessionContext(request);
  if (context) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const parsed = parseForm(formData, LoginForm, "login");
  if (!parsed.ok) return replyFailure(parsed.failure);
  const values = { email: parsed.data.email };
  const refuse = (key: string, status: number) =>
    replyFailure({ intent: "login", formId: "login", error: { key }, values }, status);

  const result = await signIn(parsed.data.email, parsed.data.password, clientAddress(request));
  switch (result.status) {
    case "rateLimited":
      return rateLimitedReply(result.retryAfterMs, { intent: "login", values });
    case "invalid":
      return refuse("login.invalid", 400);
    case "noOrganization":
      return refuse("login.noOrganization", 403);
    case "ok":
      return redirectSignedIn(request, {
        userId: result.userId,
        organizationId: result.organizationId,
        to: safeRedirectPath(formData.get("redirectTo")),
        headers: isLanguage(result.locale) ? { "Set-Cookie": serializeLanguageCookie(result.locale) } : {},
      });
  }
}

export default function Login() {
  const { t } = useTranslation();
  const failure = failureFor(useActionData<typeof action>(), "login");
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("login.title")}</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <FormError failure={failure} />
        <EmailField failure={failure} label={t("fields.email")} />
        <PasswordField failure={failure} label={t("fields.password")} />
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
    </main>
  );
}
