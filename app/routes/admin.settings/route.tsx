// Settings: the organization's dormant-account policy — its form, a preview of what it would deactivate, its last run.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { actorOf, requireEveryPermission } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { RelativeTime } from "~/components/RelativeTime";
import { loadPolicy, previewPolicy } from "~/dormant/policy.server";
import { i18next } from "~/i18n/i18next.server";
import { failureFor } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { useNow } from "~/lib/use-now";
import { listRoles } from "~/members/roles.server";
import { POLICY_FORM, PolicyFields } from "./intents";
import { handleSavePolicy } from "./intents.server";
import { PolicyForm } from "./PolicyForm";
import { PolicyPreview } from "./PolicyPreview";

export const handle = { title: "settingsPage.title" };

// Setting the policy decides who gets deactivated (members.manage) by their activity (activity.view).
const REQUIRED = ["members.manage", "activity.view"] as const;

/** `?preview=1&…`: the form's values, previewed without saving (a GET, so it works without JavaScript). */
function previewRequest(searchParams: URLSearchParams) {
  if (!searchParams.has("preview")) return null;
  const formData = new FormData();
  for (const [name, value] of searchParams) formData.append(name, value);
  return parseForm(formData, PolicyFields, POLICY_FORM);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requireEveryPermission(request, [...REQUIRED]);
  const now = Date.now();
  const stored = loadPolicy(organization.id);
  const previewed = previewRequest(new URL(request.url).searchParams);
  const settings = previewed?.ok ? previewed.data : stored;
  return json(
    {
      now,
      locale: await i18next.getLocale(request),
      stored,
      settings,
      previewing: previewed?.ok === true,
      invalidPreview: previewed && !previewed.ok ? previewed.failure : null,
      roles: listRoles(organization.id),
      preview: previewed && !previewed.ok ? null : previewPolicy(organization.id, settings, now),
    },
    { status: previewed && !previewed.ok ? 400 : 200 },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = actorOf(await requireEveryPermission(request, [...REQUIRED]));
  const parsed = parseForm(await readFormData(request), PolicyFields, POLICY_FORM);
  if (!parsed.ok) return replyFailure(parsed.failure);
  return handleSavePolicy(request, actor, parsed.data);
}

export default function Settings() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const now = useNow(data.now);
  const failure = failureFor(reply, POLICY_FORM) ?? data.invalidPreview ?? undefined;
  return (
    <main className="page">
      <h1>{t("settingsPage.title")}</h1>
      <section aria-labelledby="policy-heading">
        <h2 id="policy-heading">{t("settingsPage.policyTitle")}</h2>
        <p className="muted">{t("settingsPage.policyIntro")}</p>
        <p data-testid="last-run">
          {data.stored.lastRunAt === null ? (
            t("settingsPage.neverRun")
          ) : (
            <>
              {t("settingsPage.lastRun")} <RelativeTime at={data.stored.lastRunAt} now={now} />
              {" — "}
              {t("settingsPage.lastRunCount", { count: data.stored.lastRunCount })}
            </>
          )}
        </p>
        <PolicyForm settings={data.settings} roles={data.roles} failure={failure} />
      </section>
      {data.preview ? (
        <PolicyPreview
          preview={data.preview}
          enabled={data.settings.enabled}
          previewing={data.previewing}
          locale={data.locale}
          now={now}
        />
      ) : null}
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
