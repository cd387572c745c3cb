// Accepting an invitation link: one page whatever accounts exist; join with a Roster password, or prove the address
// with a code Roster emails to it and choose a password (docs/decisions/010-proving-email-addresses.md).
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { clientAddress } from "~/auth/client-address.server";
import { CODE_DIGITS, CODE_TTL_MS, checkEmailCode, issueEmailCode, normalizeCode } from "~/auth/email-codes.server";
import { hashPassword } from "~/auth/password.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { createSession, getSessionContext, setSessionOrganization } from "~/auth/session.server";
import { checkCredentials, recordSignIn } from "~/auth/sign-in.server";
import { ErrorPage } from "~/components/ErrorPage";
import { Field } from "~/components/Field";
import { invitationCodeEmail } from "~/email/invitation-code.server";
import { sendEmail } from "~/email/send.server";
import { i18next } from "~/i18n/i18next.server";
import {
  type FormFailure,
  formFailure,
  newPasswordField,
  parseForm,
  passwordField,
  readFormData,
  textField,
} from "~/lib/forms.server";
import { MINUTE } from "~/lib/time";
import {
  acceptInvitation,
  acceptWithProvenAddress,
  type InvitationLookup,
  lookupInvitation,
} from "~/members/invitations.server";

export { keepActionHeaders as headers } from "~/lib/headers";

const PasswordForm = () => z.object({ password: passwordField });
const CodeForm = () =>
  z.object({
    code: z
      .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
      .trim()
      .min(1, "errors.required")
      .max(20),
    // Optional: an existing account keeps its name when none is typed (a new one must get one: "nameRequired").
    name: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      textField(100).optional(),
    ),
    password: newPasswordField,
  });

type ValidInvitation = Extract<InvitationLookup, { state: "valid" }>;

const gone = (state: "used" | "expired" | "withdrawn") =>
  json(
    { reason: { used: "invitationUsed", expired: "invitationExpired", withdrawn: "invitationWithdrawn" }[state] },
    { status: 410 },
  );

/** The invitation behind the link, or a translated 404/410 page for unknown, used, expired and withdrawn links. */
function validInvitation(token: string | undefined): ValidInvitation {
  const invitation = lookupInvitation(token ?? "");
  if (invitation.state === "unknown") throw json({ reason: "invitationUnknown" }, { status: 404 });
  if (invitation.state !== "valid") throw gone(invitation.state);
  return invitation;
}

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
    // Signed in as the invited address: joining needs nothing more.
    if (acceptInvitation(invitation.invitationId) !== "accepted") throw gone("used");
    recordSignIn(invitation.userId, invitation.organizationId);
    setSessionOrganization(session.sessionId, invitation.organizationId);
    return redirect("/");
  }
  switch (formData.get("intent")) {
    case "password":
      return joinWithPassword(request, formData, invitation);
    case "sendCode":
      return sendCode(request, invitation);
    case "verify":
      return joinWithCode(request, formData, invitation);
    default:
      throw json({ reason: "badRequest" }, { status: 400 });
  }
}

/** An existing account joins with its password; a wrong password and a missing account get the same answer. */
async function joinWithPassword(request: Request, formData: FormData, invitation: ValidInvitation) {
  const parsed = parseForm(formData, PasswordForm());
  if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "password" });
  const credentials = await checkCredentials(invitation.email, parsed.data.password, clientAddress(request));
  if (credentials.status === "rateLimited") {
    return rateLimitedReply(credentials.retryAfterMs, { field: "password", intent: "password" });
  }
  if (credentials.status === "invalid") {
    return formFailure({ errors: { password: { key: "invitation.wrongPassword" } }, values: {}, intent: "password" });
  }
  const accepted = acceptInvitation(invitation.invitationId);
  if (accepted !== "accepted") throw gone(accepted === "withdrawn" ? "withdrawn" : "used");
  return signedInAtHome(request, invitation);
}

/**
 * Emails a code to the invited address, the same way whether or not it has an account, then shows the code form.
 * Never the code itself in a log line: sendEmail logs only the recipient.
 */
async function sendCode(request: Request, invitation: ValidInvitation) {
  const issued = issueEmailCode(invitation.invitationId, invitation.email);
  if (!issued.ok) {
    return formFailure(
      {
        errors: { form: { key: "invitation.sendLimited", values: { count: Math.ceil(issued.retryAfterMs / MINUTE) } } },
        values: {},
        intent: "sendCode",
      },
      { status: 429, headers: { "Retry-After": String(Math.ceil(issued.retryAfterMs / 1000)) } },
    );
  }
  const message = await invitationCodeEmail({
    to: invitation.email,
    code: issued.code,
    organizationName: invitation.organizationName,
    validMinutes: CODE_TTL_MS / MINUTE,
    locale: await i18next.getLocale(request),
  });
  if (!(await sendEmail(message))) {
    return formFailure(
      { errors: { form: { key: "invitation.sendFailed" } }, values: {}, intent: "sendCode" },
      { status: 503, headers: { "Retry-After": "60" } },
    );
  }
  const url = new URL(request.url);
  const next = new URLSearchParams({ step: "code" });
  const language = url.searchParams.get("lng");
  if (language) next.set("lng", language);
  return redirect(`${url.pathname}?${next}`);
}

const CODE_ERRORS = {
  wrong: "invitation.codeWrong",
  exhausted: "invitation.codeExhausted",
  addressLocked: "invitation.codeLocked",
  expired: "invitation.codeExpired",
} as const;

/** The emailed code proves the address: the password is set (replacing any), the invitation accepted, all at once. */
async function joinWithCode(request: Request, formData: FormData, invitation: ValidInvitation) {
  const parsed = parseForm(formData, CodeForm());
  if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "verify" });
  const values = { code: parsed.data.code, name: parsed.data.name ?? "" };
  const fail = (failure: Omit<FormFailure, "intent" | "values">, status = 400) =>
    formFailure({ ...failure, values, intent: "verify" }, { status });

  const code = normalizeCode(parsed.data.code);
  if (!code) return fail({ errors: { code: { key: "invitation.codeFormat", values: { digits: CODE_DIGITS } } } });
  const checked = checkEmailCode(invitation.invitationId, invitation.email, code);
  if (checked.status !== "ok") {
    return fail(
      { errors: { code: { key: CODE_ERRORS[checked.status] } } },
      checked.status === "exhausted" || checked.status === "addressLocked" ? 429 : 400,
    );
  }
  const passwordHash = await hashPassword(parsed.data.password);
  const result = acceptWithProvenAddress(invitation.invitationId, checked.codeId, {
    passwordHash,
    name: parsed.data.name ?? null,
  });
  switch (result) {
    case "nameRequired":
      return fail({ errors: { name: { key: "invitation.nameRequired" } } });
    case "codeUsed":
      return fail({ errors: { code: { key: CODE_ERRORS.expired } } });
    case "gone":
      throw gone("used");
    case "withdrawn":
      throw gone("withdrawn");
    case "accepted":
      return signedInAtHome(request, invitation);
  }
}

async function signedInAtHome(request: Request, invitation: ValidInvitation) {
  recordSignIn(invitation.userId, invitation.organizationId);
  return redirect("/", {
    headers: { "Set-Cookie": await createSession(request, invitation.userId, invitation.organizationId) },
  });
}

export default function AcceptInvitation() {
  const { t } = useTranslation();
  const { organizationName, email, mode, step, codeMinutes, codeDigits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const busy = useNavigation().state === "submitting";
  const failed = (intent: string) =>
    result && "errors" in result && result.intent === intent
      ? result
      : { errors: {}, values: {} as Record<string, string> };
  // A failed code entry shows the code form again, whatever the address it was posted to.
  const showCodeStep = step === "code" || (result !== undefined && "intent" in result && result.intent === "verify");
  const startParams = new URLSearchParams(location.search);
  startParams.delete("step");
  const startHref = `${location.pathname}${startParams.size > 0 ? `?${startParams}` : ""}`;

  const sendCodeForm = (label: string, className?: string) => {
    const { errors } = failed("sendCode");
    return (
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="sendCode" />
        {errors.form ? (
          <p className="form-error" role="alert">
            {t(errors.form.key, errors.form.values)}
          </p>
        ) : null}
        <button type="submit" className={className} disabled={busy}>
          {label}
        </button>
      </Form>
    );
  };

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
        <section aria-labelledby="invite-code-step">
          <h2 id="invite-code-step">{t("invitation.codeStepTitle")}</h2>
          <p>{t("invitation.codeSent", { email, minutes: codeMinutes })}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="verify" />
            <Field
              label={t("invitation.code")}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              defaultValue={failed("verify").values.code}
              error={failed("verify").errors.code}
              required
              maxLength={20}
              placeholder={"0".repeat(codeDigits)}
            />
            <Field
              label={t("fields.name")}
              name="name"
              autoComplete="name"
              hint={t("invitation.nameHint")}
              defaultValue={failed("verify").values.name}
              error={failed("verify").errors.name}
              maxLength={100}
            />
            <Field
              label={t("invitation.newPassword")}
              name="password"
              type="password"
              autoComplete="new-password"
              hint={t("invitation.newPasswordHint")}
              error={failed("verify").errors.password}
              required
              minLength={8}
            />
            <button type="submit" disabled={busy}>
              {t("invitation.accept", { organization: organizationName })}
            </button>
          </Form>
          <h3>{t("invitation.noCodeTitle")}</h3>
          <p className="muted">{t("invitation.noCodeIntro")}</p>
          {sendCodeForm(t("invitation.resendCode"), "secondary")}
          <p>
            <Link to={startHref}>{t("invitation.usePasswordInstead")}</Link>
          </p>
        </section>
      ) : (
        <>
          <section aria-labelledby="invite-password">
            <h2 id="invite-password">{t("invitation.passwordTitle")}</h2>
            <p>{t("invitation.passwordIntro")}</p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="password" />
              <Field
                label={t("fields.password")}
                name="password"
                type="password"
                autoComplete="current-password"
                error={failed("password").errors.password}
                required
              />
              <button type="submit" disabled={busy}>
                {t("invitation.passwordSubmit", { organization: organizationName })}
              </button>
            </Form>
          </section>
          <section aria-labelledby="invite-code">
            <h2 id="invite-code">{t("invitation.codeTitle")}</h2>
            <p>{t("invitation.codeIntro", { email })}</p>
            {sendCodeForm(t("invitation.sendCode"))}
          </section>
        </>
      )}
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
