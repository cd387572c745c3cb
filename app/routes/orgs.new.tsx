// Create another organization: the signed-in user becomes its owner and it becomes the session's current organization.
import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireSession, setSessionOrganization } from "~/auth/session.server";
import { recordSignIn } from "~/auth/sign-in.server";
import { Field } from "~/components/Field";
import { formFailure, parseForm, readFormData, textField } from "~/lib/forms.server";
import { createOrganization } from "~/organizations/organizations.server";

const NewOrganizationForm = () => z.object({ orgName: textField(100) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSession(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const parsed = parseForm(await readFormData(request), NewOrganizationForm());
  if (!parsed.ok) return formFailure(parsed.failure);
  const organization = createOrganization(user.id, parsed.data.orgName);
  setSessionOrganization(sessionId, organization.id);
  recordSignIn(user.id, organization.id);
  return redirect("/");
}

export default function NewOrganization() {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("orgs.newTitle")}</h1>
      <p>{t("orgs.newIntro")}</p>
      <Form method="post" noValidate>
        <Field
          label={t("setup.orgName")}
          name="orgName"
          defaultValue={failure?.values.orgName}
          error={failure?.errors.orgName}
          required
          maxLength={100}
        />
        <button type="submit" disabled={busy}>
          {t("setup.submit")}
        </button>
      </Form>
    </main>
  );
}
