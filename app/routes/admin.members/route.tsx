// The members admin page: who is in the organization, their roles and last activity; invite, manage, deactivate dormant accounts.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { dormantCountFor, summaryCounts } from "~/activity/summary.server";
import type { ChartKind } from "~/activity/trends";
import { activityChart, activityTrends } from "~/activity/trends.server";
import { actorOf, requireAnyPermission, requirePermission } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { ConfirmationQuestion, IntentFailure } from "~/components/IntentForm";
import { deactivationDay } from "~/dormant/policy";
import { loadPolicy } from "~/dormant/policy.server";
import { env } from "~/env.server";
import { i18next } from "~/i18n/i18next.server";
import { type ActionFailure, failureFor } from "~/lib/forms";
import { parseForm, readFormData, replyFailure } from "~/lib/forms.server";
import { ID_PATTERN } from "~/lib/ids";
import { useNow } from "~/lib/use-now";
import { countPendingInvitations, listPendingInvitations } from "~/members/invitations.server";
import { memberPage, PAGE_SIZE } from "~/members/member-list.server";
import { memberQueryString, parseMemberQuery, usesActivityData } from "~/members/member-query";
import { roleRefs } from "~/members/roles.server";
import { metrics, timed } from "~/metrics/metrics.server";
import { ActiveRangeNotice } from "./ActiveRangeNotice";
import { ActivityOverview } from "./ActivityOverview";
import { BulkDeactivation } from "./BulkDeactivation";
import { InviteSection, PendingInvitations } from "./Invitations";
import { invitationFormId, MemberIntent, memberFormId } from "./intents";
import { handleMemberIntent } from "./intents.server";
import { MemberFilters, type MemberListProps, MemberTable } from "./MemberList";
import { Pagination } from "./Pagination";

export const handle = { title: "members.title" };

// Timed for the metrics (roster_members_page_loader_seconds).
export const loader = (args: LoaderFunctionArgs) => timed(metrics.membersPageLoader, () => loadMembersPage(args));

async function loadMembersPage({ request }: LoaderFunctionArgs) {
  const context = await requireAnyPermission(request, ["members.manage", "activity.view"]);
  const { organization, member } = context;
  const canManage = member.permissions.has("members.manage");
  const canViewActivity = member.permissions.has("activity.view");
  const searchParams = new URL(request.url).searchParams;
  const query = parseMemberQuery(searchParams, canViewActivity);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  // Sorting or filtering by activity would reveal it: only activity.view holders may.
  if (!canViewActivity && usesActivityData(query)) throw json({ reason: "permission" }, { status: 403 });

  const chartKind = parseChartKind(searchParams);
  const now = Date.now();
  // Read from the aggregates for every viewer: the list's total for a status filter is one of them (the counts
  // themselves are activity data, shown only to activity.view holders).
  const counts = summaryCounts(organization.id, now);
  const list = memberPage(organization.id, query, { now, pageSize: PAGE_SIZE, counts });
  // Counted from the aggregates; the ids are read only when the admin confirms (intents.server.ts).
  const dormant = canManage ? dormantCountFor(actorOf(context), now, counts) : null;
  const policy = canViewActivity ? loadPolicy(organization.id) : null;
  return {
    canManage,
    canViewActivity,
    selfId: member.id,
    viewerIsOwner: member.isOwner,
    locale: await i18next.getLocale(request),
    now,
    query: { ...query, page: list.page },
    editing: canManage ? editedMemberId(searchParams) : null,
    total: list.total,
    // Privacy: last-active data (and when the dormant-account policy will catch someone) never leaves the server for
    // viewers without activity.view.
    members: list.members.map(({ lastActiveAt, reactivatedAt, deactivatedAt, ...row }) =>
      policy
        ? {
            ...row,
            lastActiveAt,
            dueOn: deactivationDay(
              { ...row, deactivatedAt, lastActiveAt, reactivatedAt },
              policy,
              now,
              policy.lastRunAt,
            ),
          }
        : row,
    ),
    roles: roleRefs(organization.id),
    invitations: canManage ? listPendingInvitations(organization.id) : [],
    pendingInvitations: canManage ? countPendingInvitations(organization.id) : 0,
    pageSize: PAGE_SIZE,
    summary: canViewActivity
      ? { members: counts.members, active30: counts.active30, never: counts.never, inactive90: counts.inactive90 }
      : null,
    dormant: dormant ?? 0,
    trends: canViewActivity ? activityTrends(organization.id, now) : null,
    chart: canViewActivity ? { kind: chartKind, bars: activityChart(organization.id, chartKind, now) } : null,
    activityWindowSeconds: env.activityDebounceMs / 1000,
  };
}

/** `?chart=weekly`: the chart's 26 weeks instead of its 30 days; anything else is a malformed query. */
function parseChartKind(searchParams: URLSearchParams): ChartKind {
  const chart = searchParams.get("chart") ?? "daily";
  if (chart !== "daily" && chart !== "weekly") throw json({ reason: "badQuery" }, { status: 400 });
  return chart;
}

/** `?edit=<memberId>`: the member whose role editor the page renders (a link per row opens it; no JavaScript needed). */
function editedMemberId(searchParams: URLSearchParams): number | null {
  const edit = searchParams.get("edit");
  return edit && ID_PATTERN.test(edit) ? Number(edit) : null;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = actorOf(await requirePermission(request, "members.manage"));
  const parsed = parseForm(await readFormData(request), MemberIntent);
  if (!parsed.ok) return replyFailure(parsed.failure);
  return handleMemberIntent(request, actor, parsed.data);
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

/**
 * Whether a form on this page shows the failure where it happened: the invite form, or the row of a member or a
 * pending invitation listed here. Anything else (bulk deactivation and its question, a row on another page of the list) shows at the top, where the
 * page opens after posting.
 */
function shownInPlace(reply: ActionFailure, data: PageData): boolean {
  if (failureFor(reply, "invite")) return data.canManage;
  return (
    data.members.some((member) => reply.formId === memberFormId(member.id)) ||
    data.invitations.some((invitation) => reply.formId === invitationFormId(invitation.id))
  );
}

export default function MembersAdmin() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const now = useNow(data.now);
  const listProps: MemberListProps = {
    members: data.members,
    roles: data.roles,
    query: data.query,
    now,
    locale: data.locale,
    canManage: data.canManage,
    canViewActivity: data.canViewActivity,
    selfId: data.selfId,
    viewerIsOwner: data.viewerIsOwner,
    reply,
    editing: data.editing,
  };
  const aboveList = reply && !shownInPlace(reply, data) ? reply : undefined;
  return (
    <main className="page">
      <h1>{t("members.title")}</h1>
      {!data.canManage ? <p className="muted">{t("members.readOnly")}</p> : null}
      {aboveList?.confirm ? (
        <ConfirmationQuestion intent={aboveList.intent} confirm={aboveList.confirm} />
      ) : (
        <IntentFailure failure={aboveList} />
      )}
      {data.summary && data.trends && data.chart ? (
        <ActivityOverview
          summary={data.summary}
          trends={data.trends}
          chart={data.chart}
          locale={data.locale}
          windowSeconds={data.activityWindowSeconds}
        />
      ) : null}
      {data.canManage ? (
        <>
          <InviteSection roles={data.roles} failure={failureFor(reply, "invite")} />
          <PendingInvitations
            invitations={data.invitations}
            total={data.pendingInvitations}
            locale={data.locale}
            now={now}
            reply={reply}
          />
        </>
      ) : null}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t("members.listTitle", { count: data.total })}</h2>
        <MemberFilters query={data.query} roles={data.roles} canViewActivity={data.canViewActivity} />
        <ActiveRangeNotice query={data.query} locale={data.locale} />
        <div className="list-tools">
          {data.canManage ? <BulkDeactivation dormant={data.dormant} asOf={data.now} /> : null}
          {data.canViewActivity ? (
            <Link reloadDocument to={`/admin/members.csv${memberQueryString(data.query, {})}`} className="export-link">
              {t("members.exportCsv")}
            </Link>
          ) : null}
        </div>
        <MemberTable {...listProps} />
        <Pagination
          query={data.query}
          total={data.total}
          pageSize={data.pageSize}
          shown={data.members.length}
          firstId={data.members[0]?.id}
          lastId={data.members.at(-1)?.id}
        />
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
