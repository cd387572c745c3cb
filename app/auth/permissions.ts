// The permission names roles grant; shared by server checks and the UI.
export const PERMISSIONS = ["members.manage", "activity.view"] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
