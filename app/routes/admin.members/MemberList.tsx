// The members list: filters, and one table that shows as cards on narrow screens; pagination is in Pagination.tsx.
import { Form, Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useLastActiveTimes } from "~/components/RelativeTime";
import { roleLabel, useRoleNamer } from "~/components/RoleNames";
import { dateFormat } from "~/lib/dates";
import type { ActionFailure } from "~/lib/forms";
import {
  defaultDirection,
  type MemberQuery,
  memberQueryString,
  type SortColumn,
  STATUS_FILTERS,
} from "~/members/member-query";
import type { RoleRef } from "~/members/types";
import { DueNotice } from "./DueNotice";
import { memberFormId, rowFailure } from "./intents";
import {
  type ActionableMember,
  canDeactivateOrRemove,
  MemberActions,
  type RowLabels,
  useRowLabels,
} from "./MemberActions";

export type ListedMember = ActionableMember & {
  createdAt: number;
  lastActiveAt?: number | null;
  /** The UTC day the dormant-account policy deactivates the member if still inactive (within 14 days). */
  dueOn?: number | null;
};

export interface MemberListProps {
  members: ListedMember[];
  roles: RoleRef[];
  query: MemberQuery;
  now: number;
  locale: string;
  canManage: boolean;
  canViewActivity: boolean;
  selfId: number;
  viewerIsOwner: boolean;
  /** The last action's failure: a row's refusal shows beside that member. */
  reply?: ActionFailure;
  /** The member whose role editor is open (`?edit=<id>`), if any. */
  editing: number | null;
}

export const BULK_FORM_ID = "bulk-deactivate";

function StatusBadge({ status, labels }: { status: ListedMember["status"]; labels: RowLabels }) {
  return <span className={`badge badge-${status}`}>{labels.status[status]}</span>;
}

function MemberName({ member, labels }: { member: ListedMember; labels: RowLabels }) {
  return (
    <>
      <Link to={`/admin/members/${member.id}`}>{member.name || <span className="muted">{labels.noName}</span>}</Link>
      {member.isOwner ? <span className="badge">{labels.owner}</span> : null}
    </>
  );
}

function SortHeader({ column, label, query }: { column: SortColumn; label: string; query: MemberQuery }) {
  const { t } = useTranslation();
  const active = query.sort === column;
  const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : defaultDirection(column);
  return (
    <th scope="col" aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link
        to={memberQueryString(query, { sort: column, dir: nextDir })}
        title={t("members.sortBy", { column: label })}
      >
        {label}
        {active ? <span aria-hidden="true">{query.dir === "asc" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}

/** Search, role and status filters as a GET form, so every view is a shareable URL. */
export function MemberFilters({
  query,
  roles,
  canViewActivity,
}: Pick<MemberListProps, "query" | "roles" | "canViewActivity">) {
  const { t } = useTranslation();
  const statuses = STATUS_FILTERS.filter((status) => canViewActivity || status === "all" || status === "deactivated");
  return (
    <Form method="get" className="filters" role="search">
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <div className="field">
        <label htmlFor="filter-q">{t("members.search")}</label>
        <input id="filter-q" type="search" name="q" defaultValue={query.q} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="filter-role">{t("members.roleFilter")}</label>
        <select id="filter-role" name="role" defaultValue={query.role ?? ""}>
          <option value="">{t("members.allRoles")}</option>
          {roles.map((role) => (
            <option key={role.id} value={role.id}>
              {roleLabel(t, role)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-status">{t("members.statusFilter")}</label>
        <select id="filter-status" name="status" defaultValue={query.status}>
          {statuses.map((status) => (
            <option key={status} value={status}>
              {t(`members.filters.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary">
        {t("members.applyFilters")}
      </button>
    </Form>
  );
}

/** The page's URL with the role editor open for one member (or closed): `?edit=<id>` beside the list's own query. */
function useEditHref() {
  const location = useLocation();
  return (memberId: number | null) => {
    const params = new URLSearchParams(location.search);
    params.delete("edit");
    if (memberId !== null) params.set("edit", String(memberId));
    const search = params.toString();
    return `${location.pathname}${search ? `?${search}` : ""}${memberId !== null ? `#${memberFormId(memberId)}` : ""}`;
  };
}

/**
 * The members, one markup for every screen: a table (Name, Email, Roles, Last active, Member since, sortable both
 * ways) whose rows become cards under 640 px (styles.css), where each cell's label ("Active:") shows. A row's role
 * editor is rendered only for the member being edited (`?edit=<id>`, or the row whose role change just failed).
 */
export function MemberTable(props: MemberListProps) {
  const { t } = useTranslation();
  const { members, roles, query, now, locale, canManage, canViewActivity, selfId, viewerIsOwner, reply, editing } =
    props;
  const editHref = useEditHref();
  const labels = useRowLabels();
  const roleNames = useRoleNamer(roles);
  const lastActive = useLastActiveTimes(now);
  const dates = dateFormat(locale);
  return (
    <table className="members-table">
      <thead>
        <tr>
          {canManage ? (
            <th scope="col">
              <span className="visually-hidden">{t("members.select")}</span>
            </th>
          ) : null}
          <SortHeader column="name" label={t("fields.name")} query={query} />
          <SortHeader column="email" label={t("fields.email")} query={query} />
          <SortHeader column="roles" label={t("members.roles")} query={query} />
          {canViewActivity ? <SortHeader column="lastActive" label={t("members.lastActive")} query={query} /> : null}
          <SortHeader column="memberSince" label={t("members.memberSince")} query={query} />
          <th scope="col">{t("members.statusHeader")}</th>
          {canManage ? (
            <th scope="col">
              <span className="visually-hidden">{t("members.actions")}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {members.map((member) => {
          const failure = rowFailure(reply, memberFormId(member.id));
          return (
            <tr key={member.id} data-member-email={member.email} id={memberFormId(member.id)} className="member-card">
              {canManage ? (
                <td className="member-select">
                  {canDeactivateOrRemove(member, selfId) && member.status === "active" ? (
                    <input
                      type="checkbox"
                      name="memberId"
                      value={member.id}
                      form={BULK_FORM_ID}
                      aria-label={labels.selectNamed(member.name || member.email)}
                    />
                  ) : null}
                </td>
              ) : null}
              <td className="member-name">
                <MemberName member={member} labels={labels} />
                {canManage ? (
                  <Link
                    className="audit-link"
                    to={`/admin/audit?target=${member.id}`}
                    aria-label={labels.historyNamed(member.name || member.email)}
                  >
                    {labels.history}
                  </Link>
                ) : null}
              </td>
              <td className="member-email">{member.email}</td>
              <td className="member-roles">{roleNames(member.roleIds)}</td>
              {canViewActivity ? (
                <td className="member-last-active">
                  <span className="card-label">{`${labels.active} `}</span>
                  {lastActive(member.lastActiveAt ?? null)}
                </td>
              ) : null}
              <td className="member-since">
                <span className="card-label">{`${labels.memberSince}: `}</span>
                {dates.format(member.createdAt)}
              </td>
              <td className="member-status">
                <StatusBadge status={member.status} labels={labels} />
                {member.dueOn ? <DueNotice on={member.dueOn} locale={locale} /> : null}
              </td>
              {canManage ? (
                <td className="member-actions-cell">
                  <MemberActions
                    member={member}
                    roles={roles}
                    selfId={selfId}
                    viewerIsOwner={viewerIsOwner}
                    failure={failure}
                    editing={editing === member.id || failure?.intent === "setRoles"}
                    editHref={editHref(member.id)}
                    closeHref={editHref(null)}
                    labels={labels}
                  />
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
