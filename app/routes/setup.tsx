// First-run setup: creates the first organization and its owner, then signs in. Gone (404) once an organization exists.
import { type ActionFunctionArgs, json, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { hashPassword } from "~/auth/password.server";
import { createSession } from "~/auth/session.server";
import { recordSignIn } from "~/auth/sign-in.server";
import { Field } from "~/components/Field";
import { emailField, formFailure, newPasswordField, parseForm, readFormData, textField } from "~/lib/forms.server";
import { hasAnyOrganization, SetupClosedError, setUpFirstOrganization } from "~/organizations/organizations.server";

export const meta: MetaFunction = () => [{ title: "Roster" }];

const SetupForm = () =>
  z.object({
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
  const parsed = parseForm(await readFormData(request), SetupForm());
  if (!parsed.ok) return formFailure(parsed.failure);
  const { password, ...fields } = parsed.data;
  try {
    const { userId, organizationId } = setUpFirstOrganization({
      ...fields,
      passwordHash: await hashPassword(password),
    });
    recordSignIn(userId, organizationId);
    return redirect("/", { headers: { "Set-Cookie": await createSession(request, userId, organizationId) } });
  } catch (error) {
    // Two first runs racing: the loser gets the same 404 as anyone arriving after setup.
    if (error instanceof SetupClosedError) throw notFound();
    throw error;
  }
}

export default function Setup() {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.intro")}</p>
      <Form method="post" noValidate>
        <Field
          label={t("setup.orgName")}
          name="orgName"
          defaultValue={failure?.values.orgName}
          error={failure?.errors.orgName}
          required
          maxLength={100}
        />
        <Field
          label={t("fields.name")}
          name="name"
          autoComplete="name"
          defaultValue={failure?.values.name}
          error={failure?.errors.name}
          required
          maxLength={100}
        />
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
          autoComplete="new-password"
          error={failure?.errors.password}
          required
          minLength={8}
        />
        <button type="submit" disabled={busy}>
          {t("setup.submit")}
        </button>
      </Form>
    </main>
  );
}
