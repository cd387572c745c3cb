import { useTranslation } from "react-i18next";

/** Role names for display: the built-in roles in the reader's language, custom roles as their admins named them. */
export function RoleNames({ roles }: { roles: { id: number; name: string; builtin: "admin" | "member" | null }[] }) {
  const { t } = useTranslation();
  if (roles.length === 0) return <span className="muted">{t("roles.none")}</span>;
  return <>{roles.map((role) => (role.builtin ? t(`roles.builtin.${role.builtin}`) : role.name)).join(", ")}</>;
}
