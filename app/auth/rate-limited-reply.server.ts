// The one reply to a password check the rate limits refused: 429, Retry-After, and the translated message on the form.
import { formFailure } from "~/lib/forms.server";
import { MINUTE } from "~/lib/time";

/**
 * A 429 form failure saying when to try again (`login.rateLimited`, in whole minutes) on the given field ("form" for
 * the form as a whole), with a `Retry-After` header in seconds. Routes pass it on with `keepActionHeaders`.
 */
export function rateLimitedReply(
  retryAfterMs: number,
  { field = "form", values = {}, intent }: { field?: string; values?: Record<string, string>; intent?: string } = {},
) {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return formFailure(
    {
      errors: { [field]: { key: "login.rateLimited", values: { count: minutes } } },
      values,
      ...(intent === undefined ? {} : { intent }),
    },
    { status: 429, headers: { "Retry-After": String(seconds) } },
  );
}
