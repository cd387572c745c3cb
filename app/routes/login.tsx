// Sign-in page: email and password, rate-limited, then a fresh session in the user's most recent organization.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { clientAddress } from "~/auth/client-address.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { createSession, getSessionContext } from "~/auth/session.server";
import { recordSignIn, signIn } from "~/auth/sign-in.server";
import { Field } from "~/components/Field";
import { isLanguage } from "~/i18n/config";
import { serializeLanguageCookie } from "~/i18n/i18next.server";
import { emailField, formFailure, parseForm, passwordField, readFormData } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/redirect";
import { hasAnyOrganization } from "~/organizations/organizations.server";

export const meta: MetaFunction = () => [{ title: "Roster" }];

const LoginForm = () => z.object({ email: emailField, password: passwordField });

export { keepActionHeaders as headers } from "~/lib/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  if (!hasAnyOrganization()) throw redirect("/setup");
  const context = await getSessionContext(request);
  if (context) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const parsed = parseForm(formData, LoginForm());
  if (!parsed.ok) return formFailure(parsed.failure);
  const values = { email: parsed.data.email };

  const result = await signIn(parsed.data.email, parsed.data.password, clientAddress(request));
  switch (result.status) {
    case "rateLimited":
      return rateLimitedReply(result.retryAfterMs, { values });
    case "invalid":
      return formFailure({ errors: { form: { key: "login.invalid" } }, values });
    case "noOrganization":
      return formFailure({ errors: { form: { key: "login.noOrganization" } }, values }, { status: 403 });
    case "ok": {
      recordSignIn(result.userId, result.organizationId);
      const headers = new Headers({ "Set-Cookie": await createSession(request, result.userId, result.organizationId) });
      if (isLanguage(result.locale)) headers.append("Set-Cookie", serializeLanguageCookie(result.locale));
      return redirect(safeRedirectPath(formData.get("redirectTo")), { headers });
    }
  }
}

export default function Login() {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("login.title")}</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        {failure?.errors.form ? (
          <p className="form-error" role="alert">
            {t(failure.errors.form.key, failure.errors.form.values)}
          </p>
        ) : null}
        <Field
          label={t("fields.email")}
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={failure?.values.email}
          error={failure?.errors.email}
          required
        />
        <Field
          label={t("fields.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          error={failure?.errors.password}
          required
        />
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
    </main>
  );
}
