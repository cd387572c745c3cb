import type { TFunction } from "i18next";
import { type ReactNode, useMemo } from "react";
import { useTranslation } from "react-i18next";

interface NamedRole {
  name: string;
  builtin: "admin" | "member" | null;
}

/** A role's name for display: a built-in role in the reader's language, a custom role as its admins named it. */
export function roleLabel(t: TFunction, role: NamedRole): string {
  return role.builtin ? t(`roles.builtin.${role.builtin}`) : role.name;
}

function noRoles(t: TFunction): ReactNode {
  return <span className="muted">{t("roles.none")}</span>;
}

/** Role names for display, comma-separated ("No roles" when there are none). */
export function RoleNames({ roles }: { roles: NamedRole[] }) {
  const { t } = useTranslation();
  if (roles.length === 0) return noRoles(t);
  return <>{roles.map((role) => roleLabel(t, role)).join(", ")}</>;
}

/**
 * For a list: names members' role ids from the organization's roles, each role translated once per list rather than
 * once per row ("No roles" when there are none).
 */
export function useRoleNamer(roles: readonly (NamedRole & { id: number })[]): (roleIds: number[]) => ReactNode {
  const { t } = useTranslation();
  return useMemo(() => {
    const labels = new Map(roles.map((role) => [role.id, roleLabel(t, role)]));
    const none = noRoles(t);
    return (roleIds) => (roleIds.length === 0 ? none : roleIds.map((id) => labels.get(id)).join(", "));
  }, [t, roles]);
}
