// The one shape of page forms, safe for the browser: field schemas shared by a route's action and its components,
// and the reply every action gives when it fails (successes redirect with a flash message; docs/decisions/012).
import { z } from "zod";
import { ID_PATTERN, MAX_IDS } from "./ids";

/** A translation key plus interpolation values: what a page shows for an error, a question or a flash message. */
export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

export type FieldErrors = Record<string, Message>;

/** A server-side "are you sure?": the same request again, with these fields and confirmed=yes. */
export interface Confirmation {
  question: Message;
  button: Message;
  fields: [name: string, value: string][];
}

/**
 * What an action returns when it does not succeed. A page tells its forms apart by `intent` and, where one intent has
 * several forms (one per row), by `formId`; components never probe for keys.
 */
export interface ActionFailure {
  intent: string;
  formId: string;
  /** Per field, shown under the field; `form` for the form as a whole. */
  fieldErrors?: FieldErrors;
  /** What the user typed (never passwords), so the form shows it again. */
  values?: Record<string, string>;
  /** One message for the form (a refusal the user cannot fix by editing a field). */
  error?: Message;
  confirm?: Confirmation;
}

/** The failure aimed at this form, if the last reply was one. */
export function failureFor(
  reply: ActionFailure | null | undefined,
  intent: string,
  formId: string = intent,
): ActionFailure | undefined {
  return reply && reply.intent === intent && reply.formId === formId ? reply : undefined;
}

const required = { required_error: "errors.required", invalid_type_error: "errors.required" };

// U+FFFD is what the decoder leaves in place of invalid UTF-8; control characters have no place in names or emails.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A trimmed, required single-line text field of at most `max` characters. */
export function textField(max: number) {
  return z
    .string(required)
    .trim()
    .min(1, "errors.required")
    .max(max)
    .refine((value) => !UNPRINTABLE.test(value), "errors.invalidCharacters");
}

/** An email address, stored lower-case. */
export const emailField = z
  .string(required)
  .trim()
  .min(1, "errors.required")
  .max(254)
  .email("errors.invalidEmail")
  .transform((email) => email.toLowerCase());

export const newPasswordField = z.string(required).min(8, "errors.passwordTooShort").max(200);

export const passwordField = z.string(required).min(1, "errors.required").max(200);

/** A database id: a positive integer, as forms and URLs carry it. */
export const idField = z.string(required).regex(ID_PATTERN, "errors.invalid").transform(Number);

/** A repeated field of ids (one value or several), at most MAX_IDS of them. */
export const idListField = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().regex(ID_PATTERN, "errors.invalid").transform(Number)).max(MAX_IDS, "errors.tooMany"),
);

/** A repeated field of strings (e.g. checkboxes), possibly absent. */
export const stringListField = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().max(100)).max(100),
);

/** A message for the next page after a successful action; `link` carries a one-time link to show once (an invitation). */
export interface Flash extends Message {
  link?: string;
}
