// What an audit entry changed, readably: "Roles: Member → Admin, HR", translated statuses and permissions, an
// export's format and filter. Keys it does not know (a later kind of entry) still show, as their JSON.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { roleLabel } from "~/components/RoleNames";
import { formatDate } from "~/lib/dates";
import { BUILTIN_ROLES } from "~/members/builtin-roles";

type Formatter = (value: unknown) => string;

/**
 * A role name as entries store it, shown as the pages show roles: a built-in role in the reader's language (no custom
 * role may take a built-in's name), a custom role as named.
 */
function roleName(t: TFunction, name: string): string {
  const builtin = BUILTIN_ROLES.find((role) => role.name === name)?.builtin ?? null;
  return roleLabel(t, { name, builtin });
}

function isTransition(value: unknown): value is { before: unknown; after: unknown } {
  return typeof value === "object" && value !== null && "before" in value && "after" in value;
}

function formatters(t: TFunction, locale: string): Record<string, Formatter> {
  const list = (each: (item: string) => string) => (value: unknown) =>
    Array.isArray(value) && value.length > 0 ? value.map((item) => each(String(item))).join(", ") : t("audit.none");
  return {
    status: (value) => (typeof value === "string" ? t(`audit.status.${value}`) : t("audit.none")),
    roles: list((name) => roleName(t, name)),
    permissions: list((permission) => t(`permissions.${permission}`)),
    name: (value) => (typeof value === "string" ? value : t("audit.none")),
    expiresAt: (value) => (typeof value === "number" ? formatDate(value, locale) : t("audit.none")),
    kind: (value) => t(`audit.kinds.${String(value)}`),
    format: (value) => String(value).toUpperCase(),
    filter: (value) =>
      typeof value === "object" && value !== null
        ? Object.entries(value)
            .map(([key, item]) => `${key}=${String(item)}`)
            .join(", ")
        : "",
    reassignedTo: (value) =>
      typeof value === "object" && value !== null && "name" in value
        ? roleName(t, String(value.name))
        : t("audit.none"),
    holders: (value) => String(value),
  };
}

/** Keys that identify rather than describe (the invitation's id): not shown. */
const HIDDEN = new Set(["invitation"]);

export function AuditChange({ change, locale }: { change: Record<string, unknown>; locale: string }) {
  const { t } = useTranslation();
  const known = formatters(t, locale);
  const entries = Object.entries(change).filter(([key]) => !HIDDEN.has(key));
  if (entries.length === 0) return null;
  return (
    <ul className="audit-change">
      {entries.map(([key, value]) => {
        const format = known[key] ?? ((item: unknown) => JSON.stringify(item));
        const label = t(`audit.change.${key}`, { defaultValue: key });
        const text = isTransition(value) ? `${format(value.before)} → ${format(value.after)}` : format(value);
        return <li key={key}>{`${label}: ${text}`}</li>;
      })}
    </ul>
  );
}
