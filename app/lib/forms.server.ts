// Reads and validates submitted forms at the edge: translated field errors with status 400, typed values kept.
import { json } from "@remix-run/node";
import { z } from "zod";
import { readBodyBytes } from "./body.server";

/** A field error as a translation key plus interpolation values (e.g. `{ max: 100 }`). */
export interface FieldError {
  key: string;
  values?: Record<string, number>;
}

export type FieldErrors = Record<string, FieldError>;

export interface FormFailure {
  errors: FieldErrors;
  /** What the user typed (passwords excluded), so the form can show it again. */
  values: Record<string, string>;
  /** Which of several forms on a page failed. */
  intent?: string;
}

/**
 * The request's form data; an oversized body is a 413 (counted as it arrives: `request.formData()` would read a
 * chunked body whole), a malformed one a 400, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  const bytes = await readBodyBytes(request);
  try {
    return await new Response(bytes, {
      headers: { "Content-Type": request.headers.get("Content-Type") ?? "" },
    }).formData();
  } catch {
    throw json({ reason: "badRequest" }, { status: 400 });
  }
}

// U+FFFD is what the decoder leaves in place of invalid UTF-8; control characters have no place in names or emails.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

// Routes build their schemas inside a function called from the action (`const LoginForm = () => z.object(…)`):
// this module is empty in the browser bundle, so a schema built at module scope throws there and the page never hydrates.

/** A trimmed, required single-line text field of at most `max` characters. */
export function textField(max: number) {
  return z
    .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
    .trim()
    .min(1, "errors.required")
    .max(max)
    .refine((value) => !UNPRINTABLE.test(value), "errors.invalidCharacters");
}

export const emailField = z
  .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
  .trim()
  .min(1, "errors.required")
  .max(254)
  .email("errors.invalidEmail")
  .transform((email) => email.toLowerCase());

export const newPasswordField = z
  .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
  .min(8, "errors.passwordTooShort")
  .max(200);

export const passwordField = z
  .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
  .min(1, "errors.required")
  .max(200);

function toFieldError(issue: z.ZodIssue): FieldError {
  if (issue.message.startsWith("errors.")) return { key: issue.message };
  if (issue.code === "too_big") return { key: "errors.tooLong", values: { max: Number(issue.maximum) } };
  if (issue.code === "too_small") return { key: "errors.tooShort", values: { min: Number(issue.minimum) } };
  return { key: "errors.invalid" };
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; failure: FormFailure };

export function parseForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): ParseResult<z.output<S>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !(key in raw)) raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= toFieldError(issue);
  }
  return { ok: false, failure: { errors, values: typedValues(raw) } };
}

function typedValues(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !key.toLowerCase().includes("password")));
}

/** A 400 response carrying field errors and the typed values. */
export function formFailure(failure: FormFailure, init: ResponseInit = {}) {
  return json<FormFailure>(failure, { status: 400, ...init });
}
