// What a members.manage holder can do to one member from their row (its role editor only when opened), the words every row shares, and the role checkboxes the page's forms share.
import { Form, Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmForm } from "~/components/ConfirmForm";
import { IntentFailure } from "~/components/IntentForm";
import { RoleNames } from "~/components/RoleNames";
import type { ActionFailure } from "~/lib/forms";
import type { MemberStatus, RoleRef } from "~/members/types";
import { memberFormId } from "./intents";

export interface ActionableMember {
  id: number;
  name: string;
  email: string;
  isOwner: boolean;
  status: MemberStatus;
  /** The member's roles, by id: the page names them from its list of the organization's roles. */
  roleIds: number[];
}

/**
 * A translation that names someone, translated once per page: each row fills in its member's name. A page of 50 rows
 * would otherwise make hundreds of i18next calls, a third of the page's render time.
 */
function namedLabel(t: TFunction, key: string): (name: string) => string {
  const marker = "\u0001";
  const parts = t(key, { name: marker }).split(marker);
  return (name) => parts.join(name);
}

/** The members list's per-row words, translated once per render. */
export function useRowLabels() {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      active: t("members.activeLabel"),
      memberSince: t("members.memberSince"),
      status: {
        active: t("members.status.active"),
        invited: t("members.status.invited"),
        deactivated: t("members.status.deactivated"),
      },
      owner: t("home.owner"),
      noName: t("members.noName"),
      selectNamed: namedLabel(t, "members.selectNamed"),
      changeRoles: t("members.changeRoles"),
      changeRolesNamed: namedLabel(t, "members.changeRolesNamed"),
      reactivate: t("members.reactivate"),
      reactivateNamed: namedLabel(t, "members.reactivateNamed"),
      deactivate: t("members.deactivate"),
      deactivateNamed: namedLabel(t, "members.deactivateNamed"),
      confirmDeactivate: namedLabel(t, "members.confirmDeactivate"),
      remove: t("members.remove"),
      removeNamed: namedLabel(t, "members.removeNamed"),
      confirmRemove: namedLabel(t, "members.confirmRemove"),
      history: t("audit.memberEvents"),
      historyNamed: namedLabel(t, "audit.memberEventsNamed"),
    }),
    [t],
  );
}

export type RowLabels = ReturnType<typeof useRowLabels>;

export function RolePicker({ roles, selected }: { roles: RoleRef[]; selected: number[] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="role-picker">
      <legend>{t("members.roles")}</legend>
      {roles.map((role) => (
        <label key={role.id}>
          <input type="checkbox" name="roleId" value={role.id} defaultChecked={selected.includes(role.id)} />{" "}
          <RoleNames roles={[role]} />
        </label>
      ))}
    </fieldset>
  );
}

/** Whether the viewer may deactivate or remove this member: never the owner, never themselves. */
export function canDeactivateOrRemove(member: ActionableMember, selfId: number): boolean {
  return !member.isOwner && member.id !== selfId && member.status !== "invited";
}

/**
 * The role editor of one member: rendered only while open (most rows show just the "Change roles" link), it posts to
 * the page without `?edit`, so a saved change comes back with the editor closed.
 */
function RoleEditor({ member, roles, closeHref }: { member: ActionableMember; roles: RoleRef[]; closeHref: string }) {
  const { t } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  // Opened by a link that the editor replaces: move the focus into it (a no-op without JavaScript).
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
  }, []);
  return (
    <Form method="post" action={closeHref} className="role-editor" ref={form}>
      <input type="hidden" name="intent" value="setRoles" />
      <input type="hidden" name="formId" value={memberFormId(member.id)} />
      <input type="hidden" name="memberId" value={member.id} />
      <RolePicker roles={roles} selected={member.roleIds} />
      <button type="submit">{t("members.saveRoles")}</button> <Link to={closeHref}>{t("common.cancel")}</Link>
    </Form>
  );
}

/**
 * Change roles, deactivate or reactivate, remove: what a members.manage holder can do to one member. The status and
 * removal buttons share one form (the pressed button is the intent), so a page of 50 rows stays small.
 */
export function MemberActions({
  member,
  roles,
  selfId,
  viewerIsOwner,
  failure,
  editing,
  editHref,
  closeHref,
  labels,
}: {
  member: ActionableMember;
  roles: RoleRef[];
  selfId: number;
  viewerIsOwner: boolean;
  /** A refusal of one of this row's forms. */
  failure?: ActionFailure;
  /** Whether this member's role editor is open. */
  editing: boolean;
  /** The page with this member's role editor open, and with it closed. */
  editHref: string;
  closeHref: string;
  labels: RowLabels;
}) {
  const label = member.name || member.email;
  const deactivated = member.status === "deactivated";
  return (
    <div className="member-actions">
      <IntentFailure failure={failure} />
      {!member.isOwner || viewerIsOwner ? (
        editing ? (
          <RoleEditor member={member} roles={roles} closeHref={closeHref} />
        ) : (
          <Link to={editHref} aria-label={labels.changeRolesNamed(label)}>
            {labels.changeRoles}
          </Link>
        )
      ) : null}
      {canDeactivateOrRemove(member, selfId) ? (
        <ConfirmForm
          confirmMessage={(intent) =>
            intent === "deactivate"
              ? labels.confirmDeactivate(label)
              : intent === "remove"
                ? labels.confirmRemove(label)
                : undefined
          }
        >
          <input type="hidden" name="memberId" value={member.id} />
          <button
            type="submit"
            name="intent"
            value={deactivated ? "reactivate" : "deactivate"}
            className="secondary"
            aria-label={deactivated ? labels.reactivateNamed(label) : labels.deactivateNamed(label)}
          >
            {deactivated ? labels.reactivate : labels.deactivate}
          </button>
          <button type="submit" name="intent" value="remove" className="danger" aria-label={labels.removeNamed(label)}>
            {labels.remove}
          </button>
        </ConfirmForm>
      ) : null}
    </div>
  );
}
