// One member's page (/admin/members/:memberId): who they are, their activity over a year (activity.view only), what a
// members.manage holder can do to them (the members page's own intents and handlers) and their latest audit entries.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { memberActivity } from "~/activity/member-activity.server";
import { auditPage } from "~/audit/audit-list.server";
import { auditQueryString } from "~/audit/audit-query";
import { actorOf, requireAnyPermission, requirePermission } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { env } from "~/env.server";
import { i18next } from "~/i18n/i18next.server";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { ID_PATTERN } from "~/lib/ids";
import { useNow } from "~/lib/use-now";
import { memberDetails } from "~/members/member-details.server";
import { roleRefs } from "~/members/roles.server";
import { AuditTable } from "../admin.audit/AuditTable";
import { MemberIntent, memberFormId, rowFailure } from "../admin.members/intents";
import { handleMemberIntent } from "../admin.members/intents.server";
import { MemberActions, useRowLabels } from "../admin.members/MemberActions";
import { MemberActivity } from "./MemberActivity";
import { MemberFacts } from "./MemberFacts";

export const handle = { title: "memberPage.title" };

/** How many of the member's audit entries the page shows; the audit page has them all. */
const HISTORY_SHOWN = 10;

/** The member id in the URL; anything else is no member of this organization (404). */
function pageMemberId(param: string | undefined): number {
  if (!param || !ID_PATTERN.test(param)) throw json({ reason: "notFound" }, { status: 404 });
  return Number(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireAnyPermission(request, ["members.manage", "activity.view"]);
  const { organization, member: viewer } = context;
  const memberId = pageMemberId(params.memberId);
  // Another organization's member is not found here, as a member that never existed.
  const details = memberDetails(organization.id, memberId);
  if (!details) throw json({ reason: "notFound" }, { status: 404 });
  const canManage = viewer.permissions.has("members.manage");
  const canViewActivity = viewer.permissions.has("activity.view");
  const now = Date.now();
  const { lastActiveAt, ...member } = details;
  return {
    member,
    canManage,
    selfId: viewer.id,
    viewerIsOwner: viewer.isOwner,
    locale: await i18next.getLocale(request),
    now,
    roles: canManage ? roleRefs(organization.id) : [],
    editing: canManage && new URL(request.url).searchParams.get("edit") === String(memberId),
    // The audit log is for members.manage holders (as /admin/audit is): the changes made to this member, newest first.
    history: canManage ? auditPage(organization.id, { targetType: "member", target: memberId }, HISTORY_SHOWN) : null,
    // Privacy: activity data never leaves the server for viewers without activity.view.
    activity: canViewActivity
      ? {
          lastActiveAt,
          ...memberActivity(memberId, now),
          historyDays: env.activityHistoryDays,
          windowSeconds: env.activityDebounceMs / 1000,
        }
      : null,
  };
}

const PAGE_INTENTS = new Set(["setRoles", "deactivate", "reactivate", "remove"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = actorOf(await requirePermission(request, "members.manage"));
  const memberId = pageMemberId(params.memberId);
  const parsed = parseForm(await readFormData(request), MemberIntent);
  if (!parsed.ok) return replyFailure(parsed.failure);
  const submitted = parsed.data;
  if (!PAGE_INTENTS.has(submitted.intent) || !("memberId" in submitted) || submitted.memberId !== memberId) {
    const error = { key: "members.errors.badRequest" };
    return replyFailure({ intent: submitted.intent, formId: memberFormId(memberId), error });
  }
  const response = await handleMemberIntent(request, actor, submitted);
  // A removed member's page is gone: the success message shows on the members list instead.
  if (submitted.intent === "remove" && response.status === 302) response.headers.set("Location", "/admin/members");
  return response;
}

export default function MemberPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const now = useNow(data.now);
  const labels = useRowLabels();
  const { pathname } = useLocation();
  const { member } = data;
  return (
    <main className="page member-page">
      <p>
        <Link to="/admin/members">{t("memberPage.back")}</Link>
      </p>
      <h1>{member.name || member.email}</h1>
      <MemberFacts member={member} locale={data.locale} />
      {data.canManage ? (
        <section aria-labelledby="member-actions-heading" id={memberFormId(member.id)}>
          <h2 id="member-actions-heading">{t("members.actions")}</h2>
          <MemberActions
            member={{ ...member, roleIds: member.roles.map((role) => role.id) }}
            roles={data.roles}
            selfId={data.selfId}
            viewerIsOwner={data.viewerIsOwner}
            failure={rowFailure(reply, memberFormId(member.id))}
            editing={data.editing || reply?.intent === "setRoles"}
            editHref={`${pathname}?edit=${member.id}#${memberFormId(member.id)}`}
            closeHref={pathname}
            labels={labels}
          />
        </section>
      ) : null}
      {data.activity ? <MemberActivity activity={data.activity} now={now} locale={data.locale} /> : null}
      {data.history ? (
        <section aria-labelledby="member-history-heading">
          <h2 id="member-history-heading">{t("memberPage.history")}</h2>
          <AuditTable
            events={data.history.events}
            query={{ targetType: "member", target: member.id }}
            now={now}
            locale={data.locale}
          />
          <p>
            <Link to={`/admin/audit${auditQueryString({ targetType: "member", target: member.id })}`}>
              {t("memberPage.allHistory")}
            </Link>
          </p>
        </section>
      ) : null}
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
