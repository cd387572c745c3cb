// Home of the current organization: who you are, where you are, and what you can do here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/auth/session.server";
import { RoleNames } from "~/components/RoleNames";

export const handle = { title: "home.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, organization, member } = await requireMember(request);
  return {
    user: { name: user.name, email: user.email },
    organization,
    isOwner: member.isOwner,
    roles: member.roles,
  };
}

export default function Home() {
  const { t } = useTranslation();
  const { user, organization, isOwner, roles } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{organization.name}</h1>
      <p>{t("home.signedInAs", { name: user.name, email: user.email })}</p>
      <p>
        {t("home.yourRoles")} <RoleNames roles={roles} />
        {isOwner ? ` · ${t("home.owner")}` : null}
      </p>
      <p>
        <Link to="/settings/profile">{t("nav.profile")}</Link>
      </p>
    </main>
  );
}
