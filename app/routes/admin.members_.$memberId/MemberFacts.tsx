// Who the member is: email, roles, status, since when, invited by whom (no activity data: everyone on the page sees it).
import { useTranslation } from "react-i18next";
import { RoleNames } from "~/components/RoleNames";
import { formatDate } from "~/lib/dates";
import type { MemberStatus, RoleRef } from "~/members/types";

export interface MemberFactsProps {
  email: string;
  roles: RoleRef[];
  status: MemberStatus;
  isOwner: boolean;
  createdAt: number;
  invitedBy: string | null;
}

export function MemberFacts({ member, locale }: { member: MemberFactsProps; locale: string }) {
  const { t } = useTranslation();
  return (
    <dl className="member-facts">
      <div>
        <dt>{t("fields.email")}</dt>
        <dd>{member.email}</dd>
      </div>
      <div>
        <dt>{t("members.roles")}</dt>
        <dd>
          <RoleNames roles={member.roles} />
          {member.isOwner ? <span className="badge">{t("home.owner")}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{t("members.statusHeader")}</dt>
        <dd>
          <span className={`badge badge-${member.status}`}>{t(`members.status.${member.status}`)}</span>
        </dd>
      </div>
      <div>
        <dt>{t("members.memberSince")}</dt>
        <dd>{formatDate(member.createdAt, locale)}</dd>
      </div>
      <div>
        <dt>{t("memberPage.invitedBy")}</dt>
        <dd>
          {member.invitedBy ?? (
            <span className="muted">
              {t(member.isOwner ? "memberPage.createdOrganization" : "memberPage.inviterUnknown")}
            </span>
          )}
        </dd>
      </div>
    </dl>
  );
}
