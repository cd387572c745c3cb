// Reads submitted forms at the edge and validates them into typed values or the one failure shape (app/lib/forms.ts).
import { json } from "@remix-run/node";
import type { z } from "zod";
import { readBodyBytes } from "./body.server";
import type { ActionFailure, FieldErrors, Message } from "./forms";

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

/** The form's text fields as an object; a field sent more than once becomes an array (files are ignored). */
function formObject(formData: FormData): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    const existing = object[key];
    object[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return object;
}

function toMessage(issue: z.ZodIssue): Message {
  // A schema's own message is a translation key: "errors.…" or a page's "members.errors.…".
  if (/^(\w+\.)*errors\.\w+$/.test(issue.message)) return { key: issue.message };
  if (issue.code === "too_big") return { key: "errors.tooLong", values: { max: Number(issue.maximum) } };
  if (issue.code === "too_small") return { key: "errors.tooShort", values: { min: Number(issue.minimum) } };
  return { key: "errors.invalid" };
}

/** What the user typed, to show again: single text values, never passwords. */
function typedValues(object: Record<string, string | string[]>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === "string" && !key.toLowerCase().includes("password")) values[key] = value;
  }
  return values;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; failure: ActionFailure };

/**
 * Validates a submitted form against its schema (a page with several forms uses a discriminated union on `intent`).
 * A failure names the form (`intent`, and `formId` when one intent has a form per row) and carries translated field
 * errors and what was typed; an unknown intent is a failure of the form as a whole.
 */
export function parseForm<S extends z.ZodTypeAny>(
  formData: FormData,
  schema: S,
  /** The intent of a page's only form, which posts none. */
  formIntent = "form",
): Parsed<z.output<S>> {
  const object = formObject(formData);
  const result = schema.safeParse(object);
  if (result.success) return { ok: true, data: result.data };
  const intent = typeof object.intent === "string" ? object.intent : formIntent;
  const formId = typeof object.formId === "string" ? object.formId : intent;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    fieldErrors[field === "intent" ? "form" : field] ??=
      field === "intent" ? { key: "errors.badRequest" } : toMessage(issue);
  }
  return { ok: false, failure: { intent, formId, fieldErrors, values: typedValues(object) } };
}

/** Answers a failed action with the failure and its status (400 unless given). */
export function replyFailure(failure: ActionFailure, init: number | ResponseInit = 400) {
  return json<ActionFailure>(failure, typeof init === "number" ? { status: init } : { status: 400, ...init });
}
