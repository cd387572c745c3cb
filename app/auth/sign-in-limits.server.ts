// The sign-in rate limits: per email and per trusted client address, around every check of a password.
import { MINUTE } from "~/lib/time";
import { createRateLimiter } from "./rate-limit.server";

// Why these numbers, how the address is derived, and the memory bound: docs/decisions/008-rate-limits.md.
export const SIGN_IN_WINDOW_MS = 15 * MINUTE;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

export type LimitedCheck<T> =
  | { status: "ok"; value: T }
  | { status: "invalid" }
  | { status: "rateLimited"; retryAfterMs: number };

export interface SignInLimits {
  /**
   * Runs one password check for an account (`run` resolves to a value when the password is right, null when wrong)
   * under the limits: per email and, when the client's address is trusted, per address. The attempt is reserved
   * before the slow check starts, so parallel guesses cannot all be checked before the first failure counts. A
   * success forgets the email's failures (not the address's: one valid account must not unlock guessing at others).
   */
  check<T>(email: string, address: string | null, run: () => Promise<T | null>): Promise<LimitedCheck<T>>;
}

export function createSignInLimits(options: { now?: () => number; maxKeys?: number } = {}): SignInLimits {
  const perEmail = createRateLimiter({ ...options, maxFailures: MAX_FAILURES_PER_EMAIL, windowMs: SIGN_IN_WINDOW_MS });
  const perAddress = createRateLimiter({
    ...options,
    maxFailures: MAX_FAILURES_PER_ADDRESS,
    windowMs: SIGN_IN_WINDOW_MS,
  });
  return {
    async check(email, address, run) {
      const forEmail = perEmail.reserve(email);
      if (!forEmail.ok) return { status: "rateLimited", retryAfterMs: forEmail.retryAfterMs };
      const forAddress = address === null ? null : perAddress.reserve(address);
      if (forAddress && !forAddress.ok) {
        forEmail.release();
        return { status: "rateLimited", retryAfterMs: forAddress.retryAfterMs };
      }
      let value: Awaited<ReturnType<typeof run>>;
      try {
        value = await run();
      } catch (error) {
        forEmail.release();
        forAddress?.release();
        throw error;
      }
      if (value === null) {
        forEmail.fail();
        forAddress?.fail();
        return { status: "invalid" };
      }
      forEmail.release();
      forAddress?.release();
      perEmail.reset(email);
      return { status: "ok", value };
    },
  };
}

/** The process's sign-in limits (in memory: one count per process). */
export const signInLimits = createSignInLimits();
