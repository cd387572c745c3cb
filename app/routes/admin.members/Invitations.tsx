import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConfirmForm } from "~/components/ConfirmForm";
import { CopyButton } from "~/components/CopyButton";
import { Field } from "~/components/Field";
import { formatDate } from "~/lib/dates";
import type { FormFailure } from "~/lib/forms.server";
import type { RoleRef } from "~/members/members.server";
import { RolePicker } from "./MemberActions";

/** Invite by email with roles; after inviting, the one-time link with a copy button. */
export function InviteSection({
  roles,
  failure,
  invited,
}: {
  roles: RoleRef[];
  failure?: FormFailure;
  invited?: { email: string; link: string };
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const memberRole = roles.find((role) => role.builtin === "member");
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t("members.inviteTitle")}</h2>
      <Form method="post" noValidate className="invite-form" key={invited?.link ?? ""}>
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
      {invited ? (
        <div className="notice" aria-live="polite">
          <p>{t("members.invitedNotice", { email: invited.email })}</p>
          <p className="invite-link">
            <input id="invitation-link" readOnly value={invited.link} aria-label={t("members.invitationLink")} />
            <CopyButton targetId="invitation-link" />
          </p>
        </div>
      ) : null}
    </section>
  );
}

/** Pending invitations with their expiry, to issue a new link or revoke. */
export function PendingInvitations({
  invitations,
  locale,
  now,
}: {
  invitations: { id: number; email: string; expiresAt: number }[];
  locale: string;
  now: number;
}) {
  const { t } = useTranslation();
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
