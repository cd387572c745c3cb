// The organization's directory: every active member's name and roles, for every member — no emails, no activity.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { RoleNames } from "~/components/RoleNames";
import { listDirectory } from "~/members/members.server";

export const handle = { title: "nav.directory" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { organization } = await requireMember(request);
  return { organizationName: organization.name, people: listDirectory(organization.id) };
}

export default function Directory() {
  const { t } = useTranslation();
  const { organizationName, people } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{t("directory.title", { organization: organizationName })}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("fields.name")}</th>
            <th scope="col">{t("members.roles")}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.id}>
              <td>
                {person.name}
                {person.isOwner ? <span className="badge">{t("home.owner")}</span> : null}
              </td>
              <td>
                <RoleNames roles={person.roles} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
