// Create another organization: the signed-in user becomes its owner and it becomes the session's current organization.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireSession } from "~/auth/session.server";
import { redirectSignedIn } from "~/auth/sign-in.server";
import { FormError, OrganizationNameField } from "~/components/Field";
import { failureFor, textField } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { createOrganization } from "~/organizations/organizations.server";

export const handle = { title: "orgs.newTitle" };

const NewOrganizationForm = z.object({ orgName: textField(100) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSession(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const parsed = parseForm(await readFormData(request), NewOrganizationForm, "createOrganization");
  if (!parsed.ok) return replyFailure(parsed.failure);
  const organization = createOrganization(user.id, parsed.data.orgName);
  return redirectSignedIn(request, { userId: user.id, organizationId: organization.id, sessionId });
}

export default function NewOrganization() {
  const { t } = useTranslation();
  const failure = failureFor(useActionData<typeof action>(), "createOrganization");
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("orgs.newTitle")}</h1>
      <p>{t("orgs.newIntro")}</p>
      <Form method="post" noValidate>
        <FormError failure={failure} />
        <OrganizationNameField failure={failure} label={t("setup.orgName")} />
        <button type="submit" disabled={busy}>
          {t("setup.submit")}
        </button>
      </Form>
    </main>
  );
}
