// The invitation page's forms, one schema per intent (browser-safe, shared by the action and the page).
import { z } from "zod";
import { newPasswordField, passwordField, textField } from "~/lib/forms";

export const InvitationIntent = z.discriminatedUnion("intent", [
  // An existing account joins with its password.
  z.object({ intent: z.literal("password"), password: passwordField }),
  // Email a code that proves the invited address.
  z.object({ intent: z.literal("sendCode") }),
  // The emailed code, a new password and (for a new account) a name.
  z.object({
    intent: z.literal("verify"),
    code: z.string({ required_error: "errors.required" }).trim().min(1, "errors.required").max(20),
    // Optional: an existing account keeps its name when none is typed (a new one must get one: "nameRequired").
    name: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      textField(100).optional(),
    ),
    password: newPasswordField,
  }),
]);

export type InvitationIntent = z.output<typeof InvitationIntent>;
