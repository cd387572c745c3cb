// Counts failed attempts per key in fixed windows, in memory, to slow down password guessing.
export interface RateLimiter {
  /** Milliseconds until the key may try again, or 0 when it is not limited. */
  retryAfterMs(key: string): number;
  recordFailure(key: string): void;
  reset(key: string): void;
}

interface Window {
  startedAt: number;
  failures: number;
}

export function createRateLimiter(options: {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
  maxKeys?: number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, Window>();

  function current(key: string): Window | undefined {
    const window = windows.get(key);
    if (window && now() - window.startedAt >= options.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  function pruneExpired() {
    for (const [key, window] of windows) {
      if (now() - window.startedAt >= options.windowMs) windows.delete(key);
    }
  }

  return {
    retryAfterMs(key) {
      const window = current(key);
      if (!window || window.failures < options.maxFailures) return 0;
      return window.startedAt + options.windowMs - now();
    },
    recordFailure(key) {
      const window = current(key);
      if (window) {
        window.failures += 1;
        return;
      }
      if (windows.size >= maxKeys) pruneExpired();
      // Still full of live windows: drop the oldest rather than grow without bound.
      if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
      windows.set(key, { startedAt: now(), failures: 1 });
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
