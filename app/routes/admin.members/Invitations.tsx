// Inviting by email with roles, the one-time link right after, and the pending invitations (new link, revoke).
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CopyButton } from "~/components/CopyButton";
import { Field, FormError } from "~/components/Field";
import { IntentFailure, IntentForm } from "~/components/IntentForm";
import { useFlash } from "~/components/PageChrome";
import { formatDate } from "~/lib/dates";
import type { ActionFailure } from "~/lib/forms";
import type { RoleRef } from "~/members/types";
import { invitationFormId, rowFailure } from "./intents";
import { RolePicker } from "./MemberActions";

/**
 * The invitation link a successful invite or "New link" left in the flash message: shown on the page that follows and
 * gone on the next, like the message (only the token's hash is stored, so this is the one chance to copy it).
 */
function useInvitationLink(): { link: string; email: string } | null {
  const flash = useFlash();
  if (!flash?.link) return null;
  return { link: flash.link, email: String(flash.values?.email ?? "") };
}

/** Invite by email with roles; after inviting, the one-time link with a copy button. */
export function InviteSection({ roles, failure }: { roles: RoleRef[]; failure?: ActionFailure }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const invited = useInvitationLink();
  const memberRole = roles.find((role) => role.builtin === "member");
  const rolesError = failure?.fieldErrors?.roleId;
  // Behind a disclosure (no JavaScript needed), so a phone shows the list first; open while there is something to see.
  return (
    <details className="invite-disclosure" open={Boolean(failure || invited)}>
      <summary>
        <h2 id="invite-heading">{t("members.inviteTitle")}</h2>
      </summary>
      <Form method="post" noValidate className="invite-form" key={invited?.link ?? ""}>
        <input type="hidden" name="intent" value="invite" />
        <FormError failure={failure} />
        <Field
          label={t("fields.email")}
          name="email"
          type="email"
          defaultValue={failure?.values?.email}
          error={failure?.fieldErrors?.email}
          required
        />
        <RolePicker roles={roles} selected={memberRole ? [memberRole.id] : []} />
        {rolesError ? (
          <p className="field-error" role="alert">
            {t(rolesError.key, rolesError.values)}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {t("members.invite")}
        </button>
      </Form>
      {invited ? (
        <div className="notice">
          <p>{t("members.sendLink", { email: invited.email })}</p>
          <p className="invite-link">
            <input id="invitation-link" readOnly value={invited.link} aria-label={t("members.invitationLink")} />
            <CopyButton targetId="invitation-link" />
          </p>
        </div>
      ) : null}
    </details>
  );
}

/**
 * Pending invitations with their expiry, to issue a new link or revoke: the first few to expire (the page stays the
 * same size however many are pending; the members list shows every invited member).
 */
export function PendingInvitations({
  invitations,
  total,
  locale,
  now,
  reply,
}: {
  invitations: { id: number; email: string; expiresAt: number }[];
  /** How many are pending in all. */
  total: number;
  locale: string;
  now: number;
  reply?: ActionFailure;
}) {
  const { t } = useTranslation();
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="pending-heading">
      <h2 id="pending-heading">{t("members.pendingTitle")}</h2>
      {total > invitations.length ? (
        <p className="muted">{t("members.pendingShown", { shown: invitations.length, count: total })}</p>
      ) : null}
      <table className="pending-invitations">
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
          {invitations.map((invitation) => {
            const formId = invitationFormId(invitation.id);
            const fields = { invitationId: invitation.id };
            return (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>
                  <span className="card-label">{`${t("members.expires")}: `}</span>
                  {invitation.expiresAt <= now ? t("members.expired") : formatDate(invitation.expiresAt, locale)}
                </td>
                <td className="row-actions">
                  <IntentFailure failure={rowFailure(reply, formId)} />
                  <IntentForm
                    intent="renewInvitation"
                    formId={formId}
                    fields={fields}
                    label={t("members.newLink")}
                    buttonClassName="secondary"
                  />
                  <IntentForm
                    intent="revokeInvitation"
                    formId={formId}
                    fields={fields}
                    label={t("members.revoke")}
                    buttonClassName="danger"
                    confirm={t("members.confirmRevoke", { email: invitation.email })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
