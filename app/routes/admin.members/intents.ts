// The members page's forms, one schema per intent: shared by its action and its components (browser-safe).
import { z } from "zod";
import { type ActionFailure, emailField, idField, idListField } from "~/lib/forms";

/** The server's "are you sure?" for bulk deactivation is answered by posting the same form again with confirmed=yes. */
const confirmed = z
  .string()
  .optional()
  .transform((value) => value === "yes");

/** The time (epoch ms) the page counted dormant members at, so the action picks exactly those. */
const pageTime = z
  .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
  .regex(/^[1-9]\d{0,15}$/, "errors.invalid")
  .transform(Number);

export const MemberIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("invite"),
    email: emailField,
    roleId: idListField.refine((ids) => ids.length > 0, "members.errors.noRoles"),
  }),
  // An empty list is the domain's to refuse (noRoles), as for any caller.
  z.object({ intent: z.literal("setRoles"), memberId: idField, roleId: idListField }),
  z.object({ intent: z.literal("deactivate"), memberId: idField }),
  z.object({ intent: z.literal("reactivate"), memberId: idField }),
  z.object({ intent: z.literal("remove"), memberId: idField }),
  z.object({ intent: z.literal("deactivateSelected"), memberId: idListField, confirmed }),
  z.object({ intent: z.literal("deactivateDormant"), asOf: pageTime, confirmed }),
  z.object({ intent: z.literal("renewInvitation"), invitationId: idField }),
  z.object({ intent: z.literal("revokeInvitation"), invitationId: idField }),
]);

export type MemberIntent = z.output<typeof MemberIntent>;

/** The forms of a member's row (roles, deactivate, reactivate, remove): a refusal shows beside that member. */
export const memberFormId = (memberId: number) => `member-${memberId}`;

/** The forms of a pending invitation's row (new link, revoke). */
export const invitationFormId = (invitationId: number) => `invitation-${invitationId}`;

/** The failure aimed at any form of one row (its forms share the row's formId), if the last reply was one. */
export function rowFailure(reply: ActionFailure | null | undefined, formId: string): ActionFailure | undefined {
  return reply && reply.formId === formId ? reply : undefined;
}
