// The members admin page: who is in the organization, their roles and last activity; invite, manage, deactivate dormant accounts.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { activeMembersPerDay, activitySummary } from "~/activity/summary.server";
import { actorOf, requireAnyPermission, requirePermission } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { ActivityChart } from "./ActivityChart";
import { InviteSection, PendingInvitations } from "./Invitations";
import {
  BULK_FORM_ID,
  MemberCards,
  MemberFilters,
  type MemberListProps,
  MemberTable,
  Pagination,
} from "./MemberList";
import { env } from "~/env.server";
import { i18next } from "~/i18n/i18next.server";
import { emailField, formFailure, parseForm, readFormData } from "~/lib/forms.server";
import { parseId, parseIdList } from "~/lib/ids";
import { useNow } from "~/lib/use-now";
import { inviteMember, listPendingInvitations, renewInvitation, revokeInvitation } from "~/members/invitations.server";
import { countMembers, dormantMemberIds, PAGE_SIZE, queryMembers } from "~/members/member-list.server";
import { memberQueryString, parseMemberQuery, usesActivityData } from "~/members/member-query";
import {
  deactivateMembers,
  type MemberChangeError,
  reactivateMember,
  removeMember,
  setMemberRoles,
} from "~/members/members.server";
import { listRoles } from "~/members/roles.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization, member } = await requireAnyPermission(request, ["members.manage", "activity.view"]);
  const canManage = member.permissions.has("members.manage");
  const canViewActivity = member.permissions.has("activity.view");
  const query = parseMemberQuery(new URL(request.url).searchParams, canViewActivity);
  if (!query) throw json({ reason: "badQuery" }, { status: 400 });
  // Sorting or filtering by activity would reveal it: only activity.view holders may.
  if (!canViewActivity && usesActivityData(query)) throw json({ reason: "permission" }, { status: 403 });

  const now = Date.now();
  const rows = queryMembers(organization.id, query, { now, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
  return {
    canManage,
    canViewActivity,
    selfId: member.id,
    viewerIsOwner: member.isOwner,
    locale: await i18next.getLocale(request),
    now,
    query,
    total: countMembers(organization.id, query, now),
    // Privacy (SPEC §5): last-active data never leaves the server for viewers without activity.view.
    members: rows.map(({ lastActiveAt, ...row }) => (canViewActivity ? { ...row, lastActiveAt } : row)),
    roles: listRoles(organization.id),
    invitations: canManage ? listPendingInvitations(organization.id) : [],
    pageSize: PAGE_SIZE,
    summary: canViewActivity ? activitySummary(organization.id, now) : null,
    dormant:
      canManage && canViewActivity ? dormantMemberIds(organization.id, now).filter((id) => id !== member.id).length : 0,
    chart: canViewActivity ? activeMembersPerDay(organization.id, now) : null,
  };
}

const InviteForm = () => z.object({ email: emailField });

const errorStatus: Record<MemberChangeError, number> = {
  permission: 403,
  outranked: 403,
  notFound: 404,
  ownerProtected: 403,
  self: 403,
  noRoles: 400,
  unknownRole: 400,
  cannotGrant: 403,
};

/** On the configured public origin: Host and X-Forwarded-* are whatever the client sent. */
function invitationLink(token: string): string {
  return new URL(`/invite/${token}`, env.publicOrigin).href;
}

function fail(error: MemberChangeError | "badRequest" | "permission", status = 400) {
  return json({ error }, { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const context = await requirePermission(request, "members.manage");
  const { organization, member } = context;
  const actor = actorOf(context);
  const formData = await readFormData(request);
  const intent = formData.get("intent");

  if (intent === "invite") {
    const parsed = parseForm(formData, InviteForm());
    const roleIds = parseIdList(formData, "roleId");
    if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "invite" });
    if (!roleIds || roleIds.length === 0) {
      return formFailure({ errors: { roleId: { key: "members.errors.noRoles" } }, values: {}, intent: "invite" });
    }
    const result = inviteMember(actor, parsed.data.email, roleIds);
    if (!result.ok) {
      return formFailure(
        {
          errors: { email: { key: `members.errors.${result.error}` } },
          values: { email: parsed.data.email },
          intent: "invite",
        },
        {
          status: { permission: 403, unknownRole: 400, cannotGrant: 403, alreadyMember: 409, alreadyInvited: 409 }[
            result.error
          ],
        },
      );
    }
    return json({ invited: { email: parsed.data.email, link: invitationLink(result.token) } });
  }

  if (intent === "renewInvitation" || intent === "revokeInvitation") {
    const invitationId = parseId(formData.get("invitationId"));
    if (invitationId === null) return fail("badRequest");
    if (intent === "revokeInvitation") {
      const revoked = revokeInvitation(actor, invitationId);
      return revoked.ok ? json({ done: intent }) : fail(revoked.error, errorStatus[revoked.error]);
    }
    const renewed = renewInvitation(actor, invitationId);
    if (!renewed.ok) return fail(renewed.error, errorStatus[renewed.error]);
    return json({ invited: { email: renewed.email, link: invitationLink(renewed.token) } });
  }

  if (intent === "deactivateSelected" || intent === "deactivateDormant") {
    let memberIds: number[] | null;
    if (intent === "deactivateDormant") {
      // Uses activity data to pick the members, so it needs activity.view as well.
      if (!member.permissions.has("activity.view")) return fail("permission", 403);
      // The page's own `now`: exactly the members the confirmation counted, not ones who crossed the line since.
      const asOf = parseId(formData.get("asOf"));
      if (asOf === null || asOf > Date.now()) return fail("badRequest");
      memberIds = dormantMemberIds(organization.id, asOf).filter((id) => id !== member.id);
    } else {
      memberIds = parseIdList(formData, "memberId");
      if (!memberIds) return fail("badRequest");
    }
    if (memberIds.length === 0) return json({ deactivated: 0 });
    // Bulk deactivation asks first, on the server, so the confirmation holds without JavaScript too.
    if (formData.get("confirmed") !== "yes") {
      return json({ confirm: { intent, memberIds, asOf: formData.get("asOf"), count: memberIds.length } });
    }
    const result = deactivateMembers(actor, memberIds);
    return result.ok ? json({ deactivated: memberIds.length }) : fail(result.error, errorStatus[result.error]);
  }

  const memberId = parseId(formData.get("memberId"));
  if (memberId === null) return fail("badRequest");
  let result: ReturnType<typeof setMemberRoles>;
  switch (intent) {
    case "setRoles": {
      const roleIds = parseIdList(formData, "roleId");
      if (!roleIds) return fail("badRequest");
      result = setMemberRoles(actor, memberId, roleIds);
      break;
    }
    case "deactivate":
      result = deactivateMembers(actor, [memberId]);
      break;
    case "reactivate":
      result = reactivateMember(actor, memberId);
      break;
    case "remove":
      result = removeMember(actor, memberId);
      break;
    default:
      return fail("badRequest");
  }
  return result.ok ? json({ done: intent }) : fail(result.error, errorStatus[result.error]);
}

function Summary({ summary }: { summary: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["summary"]> }) {
  const { t } = useTranslation();
  const figures = [
    ["members", summary.members],
    ["active30", summary.active30],
    ["never", summary.never],
    ["inactive90", summary.inactive90],
  ] as const;
  return (
    <dl className="summary">
      {figures.map(([key, value]) => (
        <div key={key}>
          <dt>{t(`activity.summary.${key}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function BulkDeactivation({ dormant, asOf }: { dormant: number; asOf: number }) {
  const { t } = useTranslation();
  return (
    <div className="bulk-actions">
      <Form method="post" id={BULK_FORM_ID}>
        <input type="hidden" name="intent" value="deactivateSelected" />
        <button type="submit" className="secondary">
          {t("members.deactivateSelected")}
        </button>
      </Form>
      {dormant > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="deactivateDormant" />
          <input type="hidden" name="asOf" value={asOf} />
          <button type="submit" className="danger">
            {t("members.deactivateDormant", { count: dormant })}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/** The server's "are you sure?" for bulk deactivation: the same request again, with confirmed=yes. */
function ConfirmDeactivation({
  confirm,
}: {
  confirm: { intent: string; memberIds: number[]; asOf: unknown; count: number };
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const question =
    confirm.intent === "deactivateDormant"
      ? t("members.confirmDeactivateDormant", { count: confirm.count })
      : t("members.confirmDeactivateSelected", { count: confirm.count });
  return (
    <div className="notice confirm" role="alertdialog" aria-labelledby="confirm-question">
      <p id="confirm-question">{question}</p>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value={confirm.intent} />
        <input type="hidden" name="confirmed" value="yes" />
        {typeof confirm.asOf === "string" ? <input type="hidden" name="asOf" value={confirm.asOf} /> : null}
        {confirm.intent === "deactivateSelected"
          ? confirm.memberIds.map((id) => <input key={id} type="hidden" name="memberId" value={id} />)
          : null}
        <button type="submit" className="danger">
          {t("members.confirmDeactivation", { count: confirm.count })}
        </button>
        <Link to={`${location.pathname}${location.search}`}>{t("members.cancel")}</Link>
      </Form>
    </div>
  );
}

export default function MembersAdmin() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
  };
  const failure = result && "errors" in result && result.intent === "invite" ? result : undefined;
  return (
    <main className="page">
      <h1>{t("members.title")}</h1>
      {!data.canManage ? <p className="muted">{t("members.readOnly")}</p> : null}
      {result && "error" in result ? (
        <p className="form-error" role="alert">
          {t(`members.errors.${result.error}`)}
        </p>
      ) : null}
      {result && "confirm" in result ? <ConfirmDeactivation confirm={result.confirm} /> : null}
      {result && "deactivated" in result ? (
        <p className="notice" aria-live="polite">
          {t("members.deactivatedCount", { count: result.deactivated })}
        </p>
      ) : null}
      {data.summary && data.chart ? (
        <section aria-labelledby="activity-heading" className="activity-overview">
          <h2 id="activity-heading" className="visually-hidden">
            {t("activity.title")}
          </h2>
          <Summary summary={data.summary} />
          <ActivityChart days={data.chart} locale={data.locale} />
        </section>
      ) : null}
      {data.canManage ? (
        <>
          <InviteSection
            roles={data.roles}
            failure={failure}
            invited={result && "invited" in result ? result.invited : undefined}
          />
          <PendingInvitations invitations={data.invitations} locale={data.locale} now={now} />
        </>
      ) : null}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t("members.listTitle", { count: data.total })}</h2>
        <MemberFilters query={data.query} roles={data.roles} canViewActivity={data.canViewActivity} />
        <div className="list-tools">
          {data.canManage ? <BulkDeactivation dormant={data.dormant} asOf={data.now} /> : null}
          {data.canViewActivity ? (
            <Link reloadDocument to={`/admin/members.csv${memberQueryString(data.query, {})}`} className="export-link">
              {t("members.exportCsv")}
            </Link>
          ) : null}
        </div>
        <MemberTable {...listProps} />
        <MemberCards {...listProps} />
        <Pagination query={data.query} total={data.total} pageSize={data.pageSize} />
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
