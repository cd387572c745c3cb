// Limits password guessing per key (an email, an address): attempts are reserved before they are checked, in bounded memory.

/** A reserved attempt: exactly one of `fail` (counts against the key) or `release` (does not) settles it. */
export interface Reservation {
  ok: true;
  fail(): void;
  release(): void;
}

export type Attempt = Reservation | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /**
   * Takes one of the key's attempts for a check about to run, or refuses: a key is limited once its failures plus
   * its attempts still in flight reach the limit, so parallel requests cannot all get checked before any has failed.
   */
  reserve(key: string): Attempt;
  /** Forgets the key's failures (after a successful check); attempts in flight stay counted. */
  reset(key: string): void;
  /** Milliseconds until the key's failures alone stop limiting it, or 0 (for tests and diagnostics). */
  lockedForMs(key: string): number;
  /** Keys remembered now; never more than `maxKeys`. */
  size(): number;
}

export interface RateLimiterOptions {
  /** Failures a key may have in one window. */
  maxFailures: number;
  /** A key's window starts with its first attempt and lasts this long. */
  windowMs: number;
  /** The memory bound: at most this many keys are remembered (default 20,000). */
  maxKeys?: number;
  /**
   * When full, a key with fewer failures than this and nothing in flight may be forgotten to make room (default 2).
   * Keys at or above it — locked or on their way there — are never forgotten before their window ends.
   */
  evictBelow?: number;
  now?: () => number;
}

/** How soon to try again when the key is limited by attempts still being checked (they settle within a second). */
export const IN_FLIGHT_RETRY_MS = 1000;

interface Entry {
  startedAt: number;
  failures: number;
  inFlight: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 20_000;
  const evictBelow = Math.min(options.evictBelow ?? 2, options.maxFailures);
  /** Every remembered key, in the order its window started (a restarted window moves to the end). */
  const entries = new Map<string, Entry>();
  /** The keys that may be forgotten to make room, least recently failed first. */
  const evictable = new Set<string>();

  const expired = (entry: Entry, at: number) => at - entry.startedAt >= options.windowMs;

  /** Keeps the key's bookkeeping in step after any change; drops it when there is nothing left to remember. */
  function settle(key: string, entry: Entry) {
    evictable.delete(key);
    if (entry.failures === 0 && entry.inFlight === 0) {
      entries.delete(key);
    } else if (entry.inFlight === 0 && entry.failures < evictBelow) {
      evictable.add(key);
    }
  }

  /** Ends a window: forgotten when nothing is in flight, else a fresh window for the attempts still running. */
  function expire(key: string, entry: Entry, at: number) {
    entries.delete(key);
    entry.failures = 0;
    if (entry.inFlight > 0) {
      entry.startedAt = at;
      entries.set(key, entry);
    }
    settle(key, entry);
  }

  /** The key's entry in its current window, if any. */
  function current(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry && expired(entry, at)) {
      expire(key, entry, at);
      return entries.get(key);
    }
    return entry;
  }

  /** Drops ended windows from the front (oldest first): amortised O(1) per call. */
  function pruneExpired(at: number) {
    for (const [key, entry] of entries) {
      if (!expired(entry, at)) break;
      expire(key, entry, at);
    }
  }

  function makeRoom(): boolean {
    const victim = evictable.values().next();
    if (victim.done) return false;
    evictable.delete(victim.value);
    entries.delete(victim.value);
    return true;
  }

  function reservation(key: string): Reservation {
    let settled = false;
    const finish = (failed: boolean) => {
      if (settled) return;
      settled = true;
      const entry = current(key, now());
      if (!entry) return;
      entry.inFlight -= 1;
      if (failed) entry.failures += 1;
      settle(key, entry);
    };
    return { ok: true, fail: () => finish(true), release: () => finish(false) };
  }

  return {
    reserve(key) {
      const at = now();
      pruneExpired(at);
      let entry = current(key, at);
      if (!entry) {
        if (entries.size >= maxKeys && !makeRoom()) {
          // Full of keys that must not be forgotten: refuse new keys until the oldest window ends.
          const oldest = entries.values().next().value as Entry;
          return { ok: false, retryAfterMs: Math.max(IN_FLIGHT_RETRY_MS, oldest.startedAt + options.windowMs - at) };
        }
        entry = { startedAt: at, failures: 0, inFlight: 0 };
        entries.set(key, entry);
      }
      if (entry.failures >= options.maxFailures) {
        return { ok: false, retryAfterMs: entry.startedAt + options.windowMs - at };
      }
      if (entry.failures + entry.inFlight >= options.maxFailures) {
        return { ok: false, retryAfterMs: IN_FLIGHT_RETRY_MS };
      }
      entry.inFlight += 1;
      settle(key, entry);
      return reservation(key);
    },
    reset(key) {
      const entry = current(key, now());
      if (!entry) return;
      entry.failures = 0;
      settle(key, entry);
    },
    lockedForMs(key) {
      const at = now();
      const entry = current(key, at);
      return entry && entry.failures >= options.maxFailures ? entry.startedAt + options.windowMs - at : 0;
    },
    size: () => entries.size,
  };
}
