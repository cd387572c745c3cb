import { json, type LinksFunction, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useNavigation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import type { Permission } from "~/auth/permissions";
import { getSessionContext, isActiveMember } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { FlashMessage, PageTitle } from "~/components/PageChrome";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { takeFlash } from "~/lib/flash.server";
import { useNonce } from "~/lib/nonce";
import { listUserOrganizations } from "~/organizations/organizations.server";
import styles from "~/styles.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const handle = { i18n: "common" };

export async function loader({ request }: LoaderFunctionArgs) {
  const [context, locale, { flash, headers }] = await Promise.all([
    getSessionContext(request),
    i18next.getLocale(request),
    takeFlash(request),
  ]);
  const permissions = context && isActiveMember(context) ? [...context.member.permissions] : [];
  return json(
    {
      locale,
      user: context ? { name: context.user.name, email: context.user.email } : null,
      organization: context?.organization ?? null,
      organizations: context ? listUserOrganizations(context.user.id) : [],
      permissions,
      flash,
    },
    { headers },
  );
}

export type RootLoaderData = SerializeFrom<typeof loader>;

function LanguageSwitcher({ current }: { current: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/language" className="language-switcher" aria-label={t("language.switcher")}>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      {SUPPORTED_LANGUAGES.map((language) => (
        <button
          key={language}
          type="submit"
          name="lng"
          value={language}
          lang={language}
          aria-pressed={language === current}
          className="link-button"
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </Form>
  );
}

function OrganizationSwitcher({ data }: { data: RootLoaderData }) {
  const { t } = useTranslation();
  const others = data.organizations.filter((organization) => organization.id !== data.organization?.id);
  return (
    <div className="org-switcher">
      {data.organization ? <span className="org-name">{data.organization.name}</span> : null}
      {others.length > 0 ? (
        <Form method="post" action="/orgs/switch" className="inline-form">
          <label htmlFor="org-switch" className="visually-hidden">
            {t("orgs.switchLabel")}
          </label>
          <select id="org-switch" name="organizationId" defaultValue="">
            <option value="" disabled>
              {t("orgs.switchLabel")}
            </option>
            {others.map((organization) => (
              <option key={organization.id} value={organization.id}>
                {organization.name}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary">
            {t("orgs.switch")}
          </button>
        </Form>
      ) : null}
      <Link to="/orgs/new">{t("orgs.newLink")}</Link>
    </div>
  );
}

function Header({ data }: { data: RootLoaderData | undefined }) {
  const { t } = useTranslation();
  const can = (permission: Permission) => data?.permissions.includes(permission) ?? false;
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Roster
      </Link>
      {data?.user ? <OrganizationSwitcher data={data} /> : null}
      <nav className="header-actions">
        {data?.user ? (
          <>
            {data.organization ? <Link to="/directory">{t("nav.directory")}</Link> : null}
            {can("members.manage") || can("activity.view") ? <Link to="/admin/members">{t("nav.members")}</Link> : null}
            {can("members.manage") ? <Link to="/admin/roles">{t("nav.roles")}</Link> : null}
            {can("members.manage") ? <Link to="/admin/audit">{t("nav.audit")}</Link> : null}
            {can("members.manage") && can("activity.view") ? (
              <Link to="/admin/settings">{t("nav.settings")}</Link>
            ) : null}
            <Link to="/settings/profile">{t("nav.profile")}</Link>
            <Form method="post" action="/logout">
              <button type="submit" className="link-button">
                {t("nav.logout")}
              </button>
            </Form>
          </>
        ) : null}
        <LanguageSwitcher current={data?.locale ?? "en"} />
      </nav>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const { i18n } = useTranslation();
  const locale = data?.locale ?? i18n.language ?? "en";
  const navigation = useNavigation();
  const nonce = useNonce();
  // A route may ask to be plain HTML (handle.hydrate === false): the edge guard's refusal page does.
  const hydrate = !useMatches().some((match) => (match.handle as { hydrate?: boolean } | undefined)?.hydrate === false);
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <PageTitle />
        <Meta />
        <Links />
      </head>
      <body>
        <Header data={data} />
        <FlashMessage />
        <div className={navigation.state === "loading" ? "content loading" : "content"}>{children}</div>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  // Keeps the browser's i18next in step when the language cookie changes without a full reload.
  useChangeLanguage(data?.locale ?? "en");
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
