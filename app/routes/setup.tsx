// First-run setup: creates the first organization and its owner, then signs in. Gone (404) once an organization exists.
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { hashPassword } from "~/auth/password.server";
import { redirectSignedIn } from "~/auth/sign-in.server";
import { EmailField, FormError, NameField, OrganizationNameField, PasswordField } from "~/components/Field";
import { emailField, failureFor, newPasswordField, textField } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { hasAnyOrganization, SetupClosedError, setUpFirstOrganization } from "~/organizations/organizations.server";

export const handle = { title: "setup.title" };

const SetupForm = z.object({
  orgName: textField(100),
  name: textField(100),
  email: emailField,
  password: newPasswordField,
});

function notFound() {
  return json({ reason: "notFound" }, { status: 404 });
}

export function loader() {
  if (hasAnyOrganization()) throw notFound();
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  if (hasAnyOrganization()) throw notFound();
  const parsed = parseForm(await readFormData(request), SetupForm, "setup");
  if (!parsed.ok) return replyFailure(parsed.failure);
  const { password, ...fields } = parsed.data;
  try {
    const { userId, organizationId } = setUpFirstOrganization({
      ...fields,
      passwordHash: await hashPassword(password),
    });
    return redirectSignedIn(request, { userId, organizationId });
  } catch (error) {
    // Two first runs racing: the loser gets the same 404 as anyone arriving after setup.
    if (error instanceof SetupClosedError) throw notFound();
    throw error;
  }
}

export default function Setup() {
  const { t } = useTranslation();
  const failure = failureFor(useActionData<typeof action>(), "setup");
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.intro")}</p>
      <Form method="post" noValidate>
        <FormError failure={failure} />
        <OrganizationNameField failure={failure} label={t("setup.orgName")} />
        <NameField failure={failure} label={t("fields.name")} />
        <EmailField failure={failure} label={t("fields.email")} />
        <PasswordField failure={failure} label={t("fields.password")} isNew />
        <button type="submit" disabled={busy}>
          {t("setup.submit")}
        </button>
      </Form>
    </main>
  );
}
