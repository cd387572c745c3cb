// Accepting an invitation link: one page whatever accounts exist; join with a Roster password, or prove the address
// with a code Roster emails to it and choose a password (docs/decisions/010-proving-email-addresses.md).
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CODE_DIGITS, CODE_TTL_MS } from "~/auth/email-codes.server";
import { getSessionContext } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { FormError, PasswordField } from "~/components/Field";
import { failureFor } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { MINUTE } from "~/lib/time";
import { CodeStep } from "./CodeStep";
import { InvitationIntent } from "./intents";
import { handleInvitationIntent, joinSignedIn, validInvitation } from "./intents.server";
import { SendCodeForm } from "./SendCodeForm";

export const handle = { title: "invitation.pageTitle" };

export { keepActionHeaders as headers } from "~/lib/headers";

/**
 * Everything here is the same whether or not an account exists for the address, anywhere on this server: the page
 * must not tell an organization's admin who has a Roster account.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = validInvitation(params.token);
  const session = await getSessionContext(request);
  return {
    organizationName: invitation.organizationName,
    email: invitation.email,
    mode: !session
      ? ("anonymous" as const)
      : session.user.id === invitation.userId
        ? ("signedIn" as const)
        : ("otherUser" as const),
    step: new URL(request.url).searchParams.get("step") === "code" ? ("code" as const) : ("start" as const),
    codeMinutes: CODE_TTL_MS / MINUTE,
    codeDigits: CODE_DIGITS,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const invitation = validInvitation(params.token);
  const session = await getSessionContext(request);
  const formData = await readFormData(request);
  if (session) {
    if (session.user.id !== invitation.userId) throw json({ reason: "otherUser" }, { status: 403 });
    return joinSignedIn(request, invitation, session.sessionId);
  }
  const parsed = parseForm(formData, InvitationIntent);
  if (!parsed.ok) return replyFailure(parsed.failure);
  return handleInvitationIntent(request, invitation, parsed.data);
}

export default function AcceptInvitation() {
  const { t } = useTranslation();
  const { organizationName, email, mode, step, codeMinutes, codeDigits } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const passwordFailure = failureFor(reply, "password");
  // A failed code entry shows the code form again, whatever the address it was posted to.
  const showCodeStep = step === "code" || failureFor(reply, "verify") !== undefined;
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
      ) : mode === "signedIn" ? (
        <Form method="post" noValidate>
          <p>{t("invitation.signedInIntro", { email })}</p>
          <button type="submit" disabled={busy}>
            {t("invitation.accept", { organization: organizationName })}
          </button>
        </Form>
      ) : showCodeStep ? (
        <CodeStep
          reply={reply}
          email={email}
          organizationName={organizationName}
          codeMinutes={codeMinutes}
          codeDigits={codeDigits}
        />
      ) : (
        <>
          <section aria-labelledby="invite-password">
            <h2 id="invite-password">{t("invitation.passwordTitle")}</h2>
            <p>{t("invitation.passwordIntro")}</p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="password" />
              <FormError failure={passwordFailure} />
              <PasswordField failure={passwordFailure} label={t("fields.password")} />
              <button type="submit" disabled={busy}>
                {t("invitation.passwordSubmit", { organization: organizationName })}
              </button>
            </Form>
          </section>
          <section aria-labelledby="invite-code">
            <h2 id="invite-code">{t("invitation.codeTitle")}</h2>
            <p>{t("invitation.codeIntro", { email })}</p>
            <SendCodeForm reply={reply} label={t("invitation.sendCode")} />
          </section>
        </>
      )}
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
