// The roles page's forms, one schema per intent: shared by its action and its components (browser-safe).
import { z } from "zod";
import { isPermission, type Permission } from "~/auth/permissions";
import { idField, stringListField, textField } from "~/lib/forms";

const permissions = stringListField.pipe(
  z.array(z.string().refine(isPermission, "errors.invalid")).transform((list) => [...new Set(list)] as Permission[]),
);

export const RoleIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), name: textField(50), permission: permissions }),
  z.object({ intent: z.literal("update"), roleId: idField, name: textField(50), permission: permissions }),
  z.object({
    intent: z.literal("delete"),
    roleId: idField,
    // Empty when nobody holds the role.
    reassignTo: z.union([z.literal("").transform(() => undefined), idField]).optional(),
  }),
]);

export type RoleIntent = z.output<typeof RoleIntent>;

/** The form of a role's row: its id, so the page shows a failure beside the role it belongs to. */
export const roleFormId = (roleId: number) => `role-${roleId}`;
