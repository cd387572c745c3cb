// The dormant-account policy form: one schema for saving it (POST) and previewing it (GET), browser-safe.
import { z } from "zod";
import { GRACE_DAYS, type PolicySettings, THRESHOLD_DAYS } from "~/dormant/policy";
import { idListField } from "~/lib/forms";

/** Whole days within a range; the message says which range. */
function daysField(range: { min: number; max: number }, message: string) {
  return z
    .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
    .trim()
    .min(1, "errors.required")
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .refine((days) => days >= range.min && days <= range.max, message);
}

export const PolicyFields = z
  .object({
    // A checkbox: "on" when ticked, absent (or empty) when not.
    enabled: z.enum(["on", ""]).optional(),
    thresholdDays: daysField(THRESHOLD_DAYS, "settingsPage.errors.thresholdDays"),
    graceDays: daysField(GRACE_DAYS, "settingsPage.errors.graceDays"),
    exemptRoleId: idListField,
  })
  .transform(
    (form): PolicySettings => ({
      enabled: form.enabled === "on",
      thresholdDays: form.thresholdDays,
      graceDays: form.graceDays,
      exemptRoleIds: form.exemptRoleId,
    }),
  );

/** The form's intent (it is the page's only form). */
export const POLICY_FORM = "policy";
