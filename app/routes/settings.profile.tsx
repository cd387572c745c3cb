// The signed-in member's own profile: name, password and language.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { clientAddress } from "~/auth/client-address.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { endOtherSessions, requireMember } from "~/auth/session.server";
import { checkCurrentPassword } from "~/auth/sign-in.server";
import { Field } from "~/components/Field";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";
import { i18next, serializeLanguageCookie } from "~/i18n/i18next.server";
import { formFailure, newPasswordField, parseForm, passwordField, readFormData, textField } from "~/lib/forms.server";
import { setPassword, updateUserLocale, updateUserName } from "~/users/users.server";

const NameForm = () => z.object({ intent: z.literal("name"), name: textField(100) });
const PasswordForm = () =>
  z.object({
    intent: z.literal("password"),
    currentPassword: passwordField,
    newPassword: newPasswordField,
  });
const LanguageForm = () => z.object({ intent: z.literal("language"), language: z.enum(SUPPORTED_LANGUAGES) });

export { keepActionHeaders as headers } from "~/lib/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireMember(request);
  return { name: user.name, email: user.email, language: await i18next.getLocale(request) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, sessionId } = await requireMember(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "name": {
      const parsed = parseForm(formData, NameForm());
      if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "name" });
      updateUserName(user.id, parsed.data.name);
      return json({ saved: "name" as const });
    }
    case "password": {
      const parsed = parseForm(formData, PasswordForm());
      if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "password" });
      const current = await checkCurrentPassword(user, parsed.data.currentPassword, clientAddress(request));
      if (current.status === "rateLimited") {
        return rateLimitedReply(current.retryAfterMs, { field: "currentPassword", intent: "password" });
      }
      if (current.status === "invalid") {
        return formFailure({
          errors: { currentPassword: { key: "profile.wrongPassword" } },
          values: {},
          intent: "password",
        });
      }
      await setPassword(user.id, parsed.data.newPassword);
      endOtherSessions(user.id, sessionId);
      return json({ saved: "password" as const });
    }
    case "language": {
      const parsed = parseForm(formData, LanguageForm());
      if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "language" });
      updateUserLocale(user.id, parsed.data.language);
      return json(
        { saved: "language" as const },
        { headers: { "Set-Cookie": serializeLanguageCookie(parsed.data.language) } },
      );
    }
    default:
      return json({ reason: "badRequest" }, { status: 400 });
  }
}

export default function Profile() {
  const { t } = useTranslation();
  const profile = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && "errors" in result ? result : undefined;
  const saved = result && "saved" in result ? result.saved : undefined;
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure.errors : {});

  return (
    <main className="page narrow">
      <h1>{t("profile.title")}</h1>
      <p className="muted">{profile.email}</p>

      <section aria-labelledby="profile-name">
        <h2 id="profile-name">{t("profile.nameSection")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="name" />
          <Field
            label={t("fields.name")}
            name="name"
            autoComplete="name"
            defaultValue={failure?.intent === "name" ? failure.values.name : profile.name}
            error={errorsFor("name").name}
            required
            maxLength={100}
          />
          <button type="submit" disabled={busy}>
            {t("profile.saveName")}
          </button>
          {saved === "name" ? <output className="status">{t("profile.nameSaved")}</output> : null}
        </Form>
      </section>

      <section aria-labelledby="profile-password">
        <h2 id="profile-password">{t("profile.passwordSection")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="password" />
          <Field
            label={t("profile.currentPassword")}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={errorsFor("password").currentPassword}
            required
          />
          <Field
            label={t("profile.newPassword")}
            name="newPassword"
            type="password"
            autoComplete="new-password"
            error={errorsFor("password").newPassword}
            required
            minLength={8}
          />
          <button type="submit" disabled={busy}>
            {t("profile.savePassword")}
          </button>
          {saved === "password" ? <output className="status">{t("profile.passwordSaved")}</output> : null}
        </Form>
      </section>

      <section aria-labelledby="profile-language">
        <h2 id="profile-language">{t("profile.languageSection")}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="language" />
          <div className="field">
            <label htmlFor="field-language">{t("language.label")}</label>
            <select id="field-language" name="language" defaultValue={profile.language} key={profile.language}>
              {SUPPORTED_LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`language.${language}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            {t("profile.saveLanguage")}
          </button>
          {saved === "language" ? <output className="status">{t("profile.languageSaved")}</output> : null}
        </Form>
      </section>
    </main>
  );
}
