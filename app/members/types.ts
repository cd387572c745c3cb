// The shapes of members and roles that pages show: browser-safe, shared by the query modules and the components.
import type { Permission } from "~/auth/permissions";

export type MemberStatus = "active" | "invited" | "deactivated";

/** A role as a member holds it: built-in roles are named by `builtin` and translated for display. */
export interface RoleRef {
  id: number;
  name: string;
  builtin: "admin" | "member" | null;
}

/** A role as the roles page lists it. */
export interface RoleListItem extends RoleRef {
  permissions: Permission[];
  memberCount: number;
}
