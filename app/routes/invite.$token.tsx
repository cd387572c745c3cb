// Accepting an invitation link: a new user sets name and password; an existing user signs in (or is signed in) and joins.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { clientAddress } from "~/auth/client-address.server";
import { hashPassword } from "~/auth/password.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { createSession, getSessionContext, setSessionOrganization } from "~/auth/session.server";
import { checkCredentials, recordSignIn } from "~/auth/sign-in.server";
import { ErrorPage } from "~/components/ErrorPage";
import { Field } from "~/components/Field";
import { formFailure, newPasswordField, parseForm, passwordField, readFormData, textField } from "~/lib/forms.server";
import { acceptInvitation, lookupInvitation } from "~/members/invitations.server";

export { keepActionHeaders as headers } from "~/lib/headers";

const NewUserForm = () => z.object({ name: textField(100), password: newPasswordField });
const ExistingUserForm = () => z.object({ password: passwordField });

const gone = (state: "used" | "expired" | "withdrawn") =>
  json(
    { reason: { used: "invitationUsed", expired: "invitationExpired", withdrawn: "invitationWithdrawn" }[state] },
    { status: 410 },
  );

/** The invitation behind the link, or a translated 404/410 page for unknown, used, expired and withdrawn links. */
function validInvitation(token: string | undefined) {
  const invitation = lookupInvitation(token ?? "");
  if (invitation.state === "unknown") throw json({ reason: "invitationUnknown" }, { status: 404 });
  if (invitation.state !== "valid") throw gone(invitation.state);
  return invitation;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = validInvitation(params.token);
  const session = await getSessionContext(request);
  return {
    organizationName: invitation.organizationName,
    email: invitation.email,
    mode: !invitation.userHasPassword
      ? ("newUser" as const)
      : session?.user.id === invitation.userId
        ? ("signedIn" as const)
        : session
          ? ("otherUser" as const)
          : ("existingUser" as const),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const invitation = validInvitation(params.token);
  const session = await getSessionContext(request);
  const formData = await readFormData(request);
  let newUser: { name: string; passwordHash: string } | null = null;

  if (!invitation.userHasPassword) {
    const parsed = parseForm(formData, NewUserForm());
    if (!parsed.ok) return formFailure(parsed.failure);
    newUser = { name: parsed.data.name, passwordHash: await hashPassword(parsed.data.password) };
  } else if (session?.user.id !== invitation.userId) {
    if (session) throw json({ reason: "otherUser" }, { status: 403 });
    const parsed = parseForm(formData, ExistingUserForm());
    if (!parsed.ok) return formFailure(parsed.failure);
    const credentials = await checkCredentials(invitation.email, parsed.data.password, clientAddress(request));
    if (credentials.status === "rateLimited") return rateLimitedReply(credentials.retryAfterMs, { field: "password" });
    if (credentials.status === "invalid") {
      return formFailure({ errors: { password: { key: "invitation.wrongPassword" } }, values: {} });
    }
  }

  const accepted = acceptInvitation(invitation.invitationId, newUser);
  if (accepted !== "accepted") throw gone(accepted === "withdrawn" ? "withdrawn" : "used");
  recordSignIn(invitation.userId, invitation.organizationId);
  if (session?.user.id === invitation.userId) {
    setSessionOrganization(session.sessionId, invitation.organizationId);
    return redirect("/");
  }
  return redirect("/", {
    headers: { "Set-Cookie": await createSession(request, invitation.userId, invitation.organizationId) },
  });
}

export default function AcceptInvitation() {
  const { t } = useTranslation();
  const { organizationName, email, mode } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure && "errors" in failure ? failure.errors : {};
  const values = failure && "values" in failure ? failure.values : {};
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page narrow">
      <h1>{t("invitation.title", { organization: organizationName })}</h1>
      <p>{t("invitation.for", { email })}</p>
      {mode === "otherUser" ? (
        <>
          <p className="form-error" role="alert">
            {t("invitation.otherUser", { email })}
          </p>
          <Form method="post" action="/logout">
            <button type="submit">{t("nav.logout")}</button>
          </Form>
        </>
      ) : (
        <Form method="post" noValidate>
          {mode === "newUser" ? (
            <>
              <p>{t("invitation.newUserIntro")}</p>
              <Field
                label={t("fields.name")}
                name="name"
                autoComplete="name"
                defaultValue={values.name}
                error={errors.name}
                required
                maxLength={100}
              />
              <Field
                label={t("fields.password")}
                name="password"
                type="password"
                autoComplete="new-password"
                error={errors.password}
                required
                minLength={8}
              />
            </>
          ) : mode === "existingUser" ? (
            <>
              <p>{t("invitation.existingUserIntro")}</p>
              <Field
                label={t("fields.password")}
                name="password"
                type="password"
                autoComplete="current-password"
                error={errors.password}
                required
              />
            </>
          ) : null}
          <button type="submit" disabled={busy}>
            {t("invitation.accept", { organization: organizationName })}
          </button>
        </Form>
      )}
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
