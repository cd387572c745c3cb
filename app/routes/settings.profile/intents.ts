// The profile page's forms, one schema per intent (browser-safe, shared by the action and the page).
import { z } from "zod";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";
import { newPasswordField, passwordField, textField } from "~/lib/forms";

export const ProfileIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("name"), name: textField(100) }),
  z.object({ intent: z.literal("password"), currentPassword: passwordField, newPassword: newPasswordField }),
  z.object({ intent: z.literal("language"), language: z.enum(SUPPORTED_LANGUAGES) }),
]);

export type ProfileIntent = z.output<typeof ProfileIntent>;
