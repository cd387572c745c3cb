// The members admin page: who is in the organization and their roles; invite, change roles, deactivate, remove.
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireAnyPermission, requirePermission } from "~/auth/session.server";
import { ConfirmForm } from "~/components/ConfirmForm";
import { CopyButton } from "~/components/CopyButton";
import { ErrorPage } from "~/components/ErrorPage";
import { Field } from "~/components/Field";
import { RoleNames } from "~/components/RoleNames";
import { i18next } from "~/i18n/i18next.server";
import { formatDate } from "~/lib/dates";
import { emailField, formFailure, parseForm, readFormData } from "~/lib/forms.server";
import { parseId, parseIdList } from "~/lib/ids.server";
import { inviteMember, listPendingInvitations, renewInvitation, revokeInvitation } from "~/members/invitations.server";
import {
  deactivateMembers,
  listMembers,
  type MemberChangeError,
  type MemberListItem,
  reactivateMember,
  removeMember,
  setMemberRoles,
} from "~/members/members.server";
import { listRoles, type RoleListItem } from "~/members/roles.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization, member } = await requireAnyPermission(request, ["members.manage", "activity.view"]);
  const canManage = member.permissions.has("members.manage");
  return {
    canManage,
    selfId: member.id,
    isOwner: member.isOwner,
    locale: await i18next.getLocale(request),
    members: listMembers(organization.id),
    roles: canManage ? listRoles(organization.id) : [],
    invitations: canManage ? listPendingInvitations(organization.id) : [],
    now: Date.now(),
  };
}

const InviteForm = z.object({ email: emailField });

const errorStatus: Record<MemberChangeError, number> = {
  notFound: 404,
  ownerProtected: 403,
  self: 403,
  noRoles: 400,
  unknownRole: 400,
};

function invitationLink(request: Request, token: string): string {
  const url = new URL(`/invite/${token}`, request.url);
  if (request.headers.get("X-Forwarded-Proto") === "https") url.protocol = "https:";
  return url.toString();
}

function badRequest() {
  return json({ error: "badRequest" as const }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const { organization, member, user } = await requirePermission(request, "members.manage");
  const actor = { organizationId: organization.id, memberId: member.id, isOwner: member.isOwner };
  const formData = await readFormData(request);
  const intent = formData.get("intent");

  if (intent === "invite") {
    const parsed = parseForm(formData, InviteForm);
    const roleIds = parseIdList(formData, "roleId");
    if (!parsed.ok) return formFailure({ ...parsed.failure, intent: "invite" });
    if (!roleIds || roleIds.length === 0) {
      return formFailure({ errors: { roleId: { key: "members.errors.noRoles" } }, values: {}, intent: "invite" });
    }
    const result = inviteMember({
      organizationId: organization.id,
      email: parsed.data.email,
      roleIds,
      invitedByUserId: user.id,
    });
    if (!result.ok) {
      return formFailure(
        {
          errors: { email: { key: `members.errors.${result.error}` } },
          values: { email: parsed.data.email },
          intent: "invite",
        },
        { status: result.error === "unknownRole" ? 400 : 409 },
      );
    }
    return json({ invited: { email: parsed.data.email, link: invitationLink(request, result.token) } });
  }

  if (intent === "renewInvitation" || intent === "revokeInvitation") {
    const invitationId = parseId(formData.get("invitationId"));
    if (invitationId === null) return badRequest();
    if (intent === "revokeInvitation") {
      return revokeInvitation(organization.id, invitationId)
        ? json({ done: "revoked" as const })
        : json({ error: "notFound" as const }, { status: 404 });
    }
    const renewed = renewInvitation(organization.id, invitationId);
    if (!renewed) return json({ error: "notFound" as const }, { status: 404 });
    return json({ invited: { email: renewed.email, link: invitationLink(request, renewed.token) } });
  }

  const memberId = parseId(formData.get("memberId"));
  if (memberId === null) return badRequest();
  let result: ReturnType<typeof setMemberRoles>;
  switch (intent) {
    case "setRoles": {
      const roleIds = parseIdList(formData, "roleId");
      if (!roleIds) return badRequest();
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
      return badRequest();
  }
  if (!result.ok) return json({ error: result.error }, { status: errorStatus[result.error] });
  return json({ done: intent });
}

function StatusBadge({ status }: { status: MemberListItem["status"] }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`members.status.${status}`)}</span>;
}

function RolePicker({ roles, selected }: { roles: RoleListItem[]; selected: number[] }) {
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

function MemberActions({ member }: { member: MemberListItem }) {
  const { t } = useTranslation();
  const { roles, selfId, isOwner } = useLoaderData<typeof loader>();
  const canEditRoles = !member.isOwner || isOwner;
  const canDeactivate = !member.isOwner && member.id !== selfId;
  const label = member.name || member.email;
  return (
    <div className="member-actions">
      {canEditRoles ? (
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
      {canDeactivate && member.status !== "invited" ? (
        member.status === "deactivated" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="reactivate" />
            <input type="hidden" name="memberId" value={member.id} />
            <button type="submit" className="secondary">
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
        )
      ) : null}
      {canDeactivate && member.status !== "invited" ? (
        <ConfirmForm confirmMessage={t("members.confirmRemove", { name: label })}>
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="memberId" value={member.id} />
          <button type="submit" className="danger" aria-label={t("members.removeNamed", { name: label })}>
            {t("members.remove")}
          </button>
        </ConfirmForm>
      ) : null}
    </div>
  );
}

function InviteSection() {
  const { t } = useTranslation();
  const { roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && "errors" in result && result.intent === "invite" ? result : undefined;
  const memberRole = roles.find((role) => role.builtin === "member");
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t("members.inviteTitle")}</h2>
      <Form
        method="post"
        noValidate
        className="invite-form"
        key={result && "invited" in result ? result.invited.link : ""}
      >
        <input type="hidden" name="intent" value="invite" />
        <Field
          label={t("fields.email")}
          name="email"
          type="email"
          defaultValue={failure?.values.email}
          error={failure?.errors.email}
          required
        />
        <RolePicker roles={roles} selected={memberRole ? [memberRole.id] : []} />
        {failure?.errors.roleId ? (
          <p className="field-error" role="alert">
            {t(failure.errors.roleId.key)}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {t("members.invite")}
        </button>
      </Form>
      {result && "invited" in result ? (
        <div className="notice" aria-live="polite">
          <p>{t("members.invitedNotice", { email: result.invited.email })}</p>
          <p className="invite-link">
            <input readOnly value={result.invited.link} aria-label={t("members.invitationLink")} />
            <CopyButton text={result.invited.link} />
          </p>
        </div>
      ) : null}
    </section>
  );
}

function PendingInvitations() {
  const { t } = useTranslation();
  const { invitations, locale, now } = useLoaderData<typeof loader>();
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="pending-heading">
      <h2 id="pending-heading">{t("members.pendingTitle")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("fields.email")}</th>
            <th scope="col">{t("members.expires")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("members.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((invitation) => (
            <tr key={invitation.id}>
              <td>{invitation.email}</td>
              <td>{invitation.expiresAt <= now ? t("members.expired") : formatDate(invitation.expiresAt, locale)}</td>
              <td className="row-actions">
                <Form method="post">
                  <input type="hidden" name="intent" value="renewInvitation" />
                  <input type="hidden" name="invitationId" value={invitation.id} />
                  <button type="submit" className="secondary">
                    {t("members.newLink")}
                  </button>
                </Form>
                <ConfirmForm confirmMessage={t("members.confirmRevoke", { email: invitation.email })}>
                  <input type="hidden" name="intent" value="revokeInvitation" />
                  <input type="hidden" name="invitationId" value={invitation.id} />
                  <button type="submit" className="danger">
                    {t("members.revoke")}
                  </button>
                </ConfirmForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function MembersAdmin() {
  const { t } = useTranslation();
  const { members, canManage, locale } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main className="page">
      <h1>{t("members.title")}</h1>
      {!canManage ? <p className="muted">{t("members.readOnly")}</p> : null}
      {result && "error" in result ? (
        <p className="form-error" role="alert">
          {t(`members.errors.${result.error}`)}
        </p>
      ) : null}
      {canManage ? (
        <>
          <InviteSection />
          <PendingInvitations />
        </>
      ) : null}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t("members.listTitle", { count: members.length })}</h2>
        <table className="members-table">
          <thead>
            <tr>
              <th scope="col">{t("fields.name")}</th>
              <th scope="col">{t("fields.email")}</th>
              <th scope="col">{t("members.roles")}</th>
              <th scope="col">{t("members.statusHeader")}</th>
              <th scope="col">{t("members.memberSince")}</th>
              {canManage ? (
                <th scope="col">
                  <span className="visually-hidden">{t("members.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.id} data-member-email={member.email}>
                <td>
                  {member.name || <span className="muted">{t("members.noName")}</span>}
                  {member.isOwner ? <span className="badge">{t("home.owner")}</span> : null}
                </td>
                <td>{member.email}</td>
                <td>
                  <RoleNames roles={member.roles} />
                </td>
                <td>
                  <StatusBadge status={member.status} />
                </td>
                <td>{formatDate(member.createdAt, locale)}</td>
                {canManage ? (
                  <td>
                    <MemberActions member={member} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
