// The signed-in member's own profile: name, password and language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/auth/session.server";
import { FormError, NameField, PasswordField } from "~/components/Field";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { failureFor } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { ProfileIntent } from "./intents";
import { handleProfileIntent } from "./intents.server";

export const handle = { title: "profile.title" };

export { keepActionHeaders as headers } from "~/lib/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireMember(request);
  return { name: user.name, email: user.email, language: await i18next.getLocale(request) };
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await requireMember(request);
  const parsed = parseForm(await readFormData(request), ProfileIntent);
  if (!parsed.ok) return replyFailure(parsed.failure);
  return handleProfileIntent(request, context, parsed.data);
}

export default function Profile() {
  const { t } = useTranslation();
  const profile = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const nameFailure = failureFor(reply, "name");
  const passwordFailure = failureFor(reply, "password");

  return (
    <main className="page narrow">
      <h1>{t("profile.title")}</h1>
      <p className="muted">{profile.email}</p>

      <section aria-labelledby="profile-name">
        <h2 id="profile-name">{t("profile.nameSection")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="name" />
          <FormError failure={nameFailure} />
          <NameField
            failure={nameFailure}
            label={t("fields.name")}
            defaultValue={nameFailure?.values?.name ?? profile.name}
          />
          <button type="submit" disabled={busy}>
            {t("profile.saveName")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="profile-password">
        <h2 id="profile-password">{t("profile.passwordSection")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="password" />
          <FormError failure={passwordFailure} />
          <PasswordField failure={passwordFailure} label={t("profile.currentPassword")} name="currentPassword" />
          <PasswordField failure={passwordFailure} label={t("profile.newPassword")} name="newPassword" isNew />
          <button type="submit" disabled={busy}>
            {t("profile.savePassword")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="profile-language">
        <h2 id="profile-language">{t("profile.languageSection")}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="language" />
          <FormError failure={failureFor(reply, "language")} />
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
        </Form>
      </section>
    </main>
  );
}
