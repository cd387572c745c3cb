// The one reply to a password check the rate limits refused: 429, Retry-After, and the translated message on the form.
import type { ActionFailure } from "~/lib/forms";
import { replyFailure } from "~/lib/forms.server";
import { MINUTE } from "~/lib/time";

/**
 * A 429 failure of the form saying when to try again (`login.rateLimited`, in whole minutes) on the given field
 * ("form" for the form as a whole), with a `Retry-After` header in seconds. Routes pass it on with `keepActionHeaders`.
 */
export function rateLimitedReply(
  retryAfterMs: number,
  {
    intent,
    formId = intent,
    field = "form",
    values = {},
  }: { intent: string; formId?: string; field?: string; values?: Record<string, string> },
) {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const failure: ActionFailure = {
    intent,
    formId,
    fieldErrors: { [field]: { key: "login.rateLimited", values: { count: minutes } } },
    values,
  };
  return replyFailure(failure, { status: 429, headers: { "Retry-After": String(seconds) } });
}
