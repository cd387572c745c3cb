import { describe, expect, it } from "vitest";
import { createRateLimiter } from "~/auth/rate-limit.server";

function limiter(maxKeys?: number) {
  let now = 1_000_000;
  const rateLimiter = createRateLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now, maxKeys });
  return { rateLimiter, advance: (ms: number) => (now += ms) };
}

describe("sign-in rate limiter", () => {
  it("limits a key after the allowed number of failures, until the window ends", () => {
    const { rateLimiter, advance } = limiter();
    for (let i = 0; i < 3; i += 1) {
      expect(rateLimiter.retryAfterMs("a@example.com")).toBe(0);
      rateLimiter.recordFailure("a@example.com");
    }
    expect(rateLimiter.retryAfterMs("a@example.com")).toBe(60_000);
    advance(59_999);
    expect(rateLimiter.retryAfterMs("a@example.com")).toBe(1);
    advance(1);
    expect(rateLimiter.retryAfterMs("a@example.com")).toBe(0);
  });

  it("keeps keys apart and forgets a key on reset", () => {
    const { rateLimiter } = limiter();
    for (let i = 0; i < 3; i += 1) rateLimiter.recordFailure("a");
    expect(rateLimiter.retryAfterMs("b")).toBe(0);
    rateLimiter.reset("a");
    expect(rateLimiter.retryAfterMs("a")).toBe(0);
  });

  it("stays bounded in memory when flooded with distinct keys", () => {
    const { rateLimiter } = limiter(100);
    for (let i = 0; i < 1000; i += 1) rateLimiter.recordFailure(`key-${i}`);
    for (let i = 0; i < 3; i += 1) rateLimiter.recordFailure("key-999");
    expect(rateLimiter.retryAfterMs("key-999")).toBeGreaterThan(0);
    expect(rateLimiter.retryAfterMs("key-0")).toBe(0);
  });
});
