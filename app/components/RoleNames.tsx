import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

interface NamedRole {
  name: string;
  builtin: "admin" | "member" | null;
}

/** A role's name for display: a built-in role in the reader's language, a custom role as its admins named it. */
export function roleLabel(t: TFunction, role: NamedRole): string {
  return role.builtin ? t(`roles.builtin.${role.builtin}`) : role.name;
}

/** Role names for display, comma-separated ("No roles" when there are none). */
export function RoleNames({ roles }: { roles: NamedRole[] }) {
  const { t } = useTranslation();
  if (roles.length === 0) return <span className="muted">{t("roles.none")}</span>;
  return <>{roles.map((role) => roleLabel(t, role)).join(", ")}</>;
}
