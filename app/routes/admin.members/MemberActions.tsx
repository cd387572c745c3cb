import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConfirmForm } from "~/components/ConfirmForm";
import { RoleNames } from "~/components/RoleNames";
import type { MemberStatus, RoleRef } from "~/members/members.server";

export interface ActionableMember {
  id: number;
  name: string;
  email: string;
  isOwner: boolean;
  status: MemberStatus;
  roles: RoleRef[];
}

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

/** Change roles, deactivate or reactivate, remove: what a members.manage holder can do to one member. */
export function MemberActions({
  member,
  roles,
  selfId,
  viewerIsOwner,
}: {
  member: ActionableMember;
  roles: RoleRef[];
  selfId: number;
  viewerIsOwner: boolean;
}) {
  const { t } = useTranslation();
  const label = member.name || member.email;
  return (
    <div className="member-actions">
      {!member.isOwner || viewerIsOwner ? (
        <details>
          <summary>{t("members.changeRoles")}</summary>
          <Form method="post">
            <input type="hidden" name="intent" value="setRoles" />
            <input type="hidden" name="memberId" value={member.id} />
            <RolePicker roles={roles} selected={member.roles.map((role) => role.id)} />
            <button type="submit">{t("members.saveRoles")}</button>
          </Form>
        </details>
      ) : null}
      {canDeactivateOrRemove(member, selfId) ? (
        <>
          {member.status === "deactivated" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reactivate" />
              <input type="hidden" name="memberId" value={member.id} />
              <button type="submit" className="secondary" aria-label={t("members.reactivateNamed", { name: label })}>
                {t("members.reactivate")}
              </button>
            </Form>
          ) : (
            <ConfirmForm confirmMessage={t("members.confirmDeactivate", { name: label })}>
              <input type="hidden" name="intent" value="deactivate" />
              <input type="hidden" name="memberId" value={member.id} />
              <button type="submit" className="secondary" aria-label={t("members.deactivateNamed", { name: label })}>
                {t("members.deactivate")}
              </button>
            </ConfirmForm>
          )}
          <ConfirmForm confirmMessage={t("members.confirmRemove", { name: label })}>
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="memberId" value={member.id} />
            <button type="submit" className="danger" aria-label={t("members.removeNamed", { name: label })}>
              {t("members.remove")}
            </button>
          </ConfirmForm>
        </>
      ) : null}
    </div>
  );
}
