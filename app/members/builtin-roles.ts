// The roles every organization is created with: Admin holds every permission, Member none; custom roles come on top.
import { PERMISSIONS, type Permission } from "~/auth/permissions";

export type BuiltinRole = "admin" | "member";

export interface BuiltinRoleDefinition {
  builtin: BuiltinRole;
  /** The stored name; pages show the translated `roles.builtin.<builtin>` label instead. */
  name: string;
  permissions: readonly Permission[];
}

export const BUILTIN_ROLES: readonly BuiltinRoleDefinition[] = [
  { builtin: "admin", name: "Admin", permissions: PERMISSIONS },
  { builtin: "member", name: "Member", permissions: [] },
];
