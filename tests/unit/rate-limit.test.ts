import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientAddress } from "~/auth/client-address.server";
import { createRateLimiter, IN_FLIGHT_RETRY_MS, type Reservation } from "~/auth/rate-limit.server";
import { createSignInLimits, MAX_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_MS } from "~/auth/sign-in-limits.server";

const WINDOW = 60_000;

function limiter(options: { maxKeys?: number; maxFailures?: number } = {}) {
  let now = 1_000_000;
  const rateLimiter = createRateLimiter({ maxFailures: 3, windowMs: WINDOW, now: () => now, ...options });
  return { rateLimiter, advance: (ms: number) => (now += ms) };
}

function reserved(attempt: ReturnType<ReturnType<typeof createRateLimiter>["reserve"]>): Reservation {
  if (!attempt.ok) throw new Error(`refused, retry after ${attempt.retryAfterMs} ms`);
  return attempt;
}

const failOnce = (rateLimiter: ReturnType<typeof createRateLimiter>, key: string) =>
  reserved(rateLimiter.reserve(key)).fail();

describe("rate limiter", () => {
  it("limits a key after the allowed number of failures, until the window ends", () => {
    const { rateLimiter, advance } = limiter();
    for (let i = 0; i < 3; i += 1) failOnce(rateLimiter, "a@example.com");
    expect(rateLimiter.reserve("a@example.com")).toEqual({ ok: false, retryAfterMs: WINDOW });
    advance(WINDOW - 1);
    expect(rateLimiter.reserve("a@example.com")).toEqual({ ok: false, retryAfterMs: 1 });
    advance(1);
    expect(rateLimiter.reserve("a@example.com").ok).toBe(true);
  });

  it("reserves before the check: parallel attempts beyond the limit are refused before any has failed", () => {
    const { rateLimiter } = limiter();
    const attempts = Array.from({ length: 30 }, () => rateLimiter.reserve("a@example.com"));
    expect(attempts.filter((attempt) => attempt.ok)).toHaveLength(3);
    for (const refused of attempts.filter((attempt) => !attempt.ok)) {
      expect(refused).toEqual({ ok: false, retryAfterMs: IN_FLIGHT_RETRY_MS });
    }
    for (const attempt of attempts) if (attempt.ok) attempt.fail();
    expect(rateLimiter.reserve("a@example.com")).toEqual({ ok: false, retryAfterMs: WINDOW });
  });

  it("a released attempt counts nothing; a reset forgets the failures", () => {
    const { rateLimiter } = limiter();
    failOnce(rateLimiter, "a");
    failOnce(rateLimiter, "a");
    reserved(rateLimiter.reserve("a")).release();
    reserved(rateLimiter.reserve("a")).release();
    expect(rateLimiter.reserve("a").ok).toBe(true);
    rateLimiter.reset("a");
    expect(rateLimiter.lockedForMs("a")).toBe(0);
  });

  it("settles each reservation once, however often it is called", () => {
    const { rateLimiter } = limiter();
    const attempt = reserved(rateLimiter.reserve("a"));
    attempt.fail();
    attempt.fail();
    attempt.release();
    failOnce(rateLimiter, "a");
    expect(rateLimiter.reserve("a").ok).toBe(true);
  });

  it("keeps keys apart", () => {
    const { rateLimiter } = limiter();
    for (let i = 0; i < 3; i += 1) failOnce(rateLimiter, "a");
    expect(rateLimiter.reserve("b").ok).toBe(true);
  });

  it("keeps a locked key locked however many other keys fail (junk keys cannot flush it)", () => {
    const { rateLimiter, advance } = limiter({ maxKeys: 100 });
    for (let i = 0; i < 3; i += 1) failOnce(rateLimiter, "victim");
    for (let i = 0; i < 10_000; i += 1) failOnce(rateLimiter, `junk-${i}`);
    expect(rateLimiter.size()).toBeLessThanOrEqual(100);
    advance(1000);
    expect(rateLimiter.reserve("victim")).toEqual({ ok: false, retryAfterMs: WINDOW - 1000 });
  });

  it("keeps a key's count once it is on its way to the limit, and forgets single failures first when full", () => {
    const { rateLimiter } = limiter({ maxKeys: 10 });
    failOnce(rateLimiter, "victim");
    failOnce(rateLimiter, "victim");
    for (let i = 0; i < 100; i += 1) failOnce(rateLimiter, `junk-${i}`);
    failOnce(rateLimiter, "victim");
    expect(rateLimiter.lockedForMs("victim")).toBeGreaterThan(0);
    expect(rateLimiter.lockedForMs("junk-0")).toBe(0);
  });

  it("refuses new keys while full of keys it must keep, until the oldest window ends (the memory bound holds)", () => {
    const { rateLimiter, advance } = limiter({ maxKeys: 5 });
    for (let key = 0; key < 5; key += 1) {
      failOnce(rateLimiter, `k${key}`);
      failOnce(rateLimiter, `k${key}`);
    }
    advance(10_000);
    expect(rateLimiter.reserve("newcomer")).toEqual({ ok: false, retryAfterMs: WINDOW - 10_000 });
    expect(rateLimiter.size()).toBe(5);
    expect(rateLimiter.reserve("k0").ok).toBe(true);
    advance(WINDOW - 10_000);
    expect(rateLimiter.reserve("newcomer").ok).toBe(true);
  });

  it("never forgets an attempt in flight when its window ends: it counts in the next window", () => {
    const { rateLimiter, advance } = limiter();
    const running = reserved(rateLimiter.reserve("a"));
    advance(WINDOW + 1);
    running.fail();
    failOnce(rateLimiter, "a");
    failOnce(rateLimiter, "a");
    expect(rateLimiter.lockedForMs("a")).toBeGreaterThan(0);
  });
});

// A pool of keys small enough to collide, with a few hostile shapes.
const otherKey = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => `other-${n}`),
  fc.constantFrom("", "victim ", "VICTIM", "victim\u0000", "__proto__", "constructor"),
);
type Operation =
  | { kind: "fail"; key: string }
  | { kind: "release"; key: string }
  | { kind: "start"; key: string }
  | { kind: "finish"; index: number; failed: boolean }
  | { kind: "reset"; key: string }
  | { kind: "advance"; ms: number };
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: otherKey.map((key) => ({ kind: "fail" as const, key })) },
  { weight: 1, arbitrary: otherKey.map((key) => ({ kind: "release" as const, key })) },
  { weight: 2, arbitrary: otherKey.map((key) => ({ kind: "start" as const, key })) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("finish" as const), index: fc.nat(), failed: fc.boolean() }),
  },
  { weight: 1, arbitrary: otherKey.map((key) => ({ kind: "reset" as const, key })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5_000 }).map((ms) => ({ kind: "advance" as const, ms })) },
);

/** Applies one operation on keys other than the victim; in-flight reservations are kept in `running`. */
function apply(
  rateLimiter: ReturnType<typeof createRateLimiter>,
  op: Operation,
  running: Reservation[],
  advance: (ms: number) => void,
) {
  switch (op.kind) {
    case "fail":
    case "release": {
      const attempt = rateLimiter.reserve(op.key);
      if (attempt.ok) (op.kind === "fail" ? attempt.fail : attempt.release)();
      break;
    }
    case "start": {
      const attempt = rateLimiter.reserve(op.key);
      if (attempt.ok) running.push(attempt);
      break;
    }
    case "finish": {
      if (running.length === 0) break;
      const [attempt] = running.splice(op.index % running.length, 1);
      if (op.failed) attempt?.fail();
      else attempt?.release();
      break;
    }
    case "reset":
      rateLimiter.reset(op.key);
      break;
    case "advance":
      advance(op.ms);
      break;
  }
}

describe("rate limiter properties", () => {
  it("property: whatever other keys do, a locked key stays locked until its window ends, and memory stays bounded", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(operation, { maxLength: 300 }),
        (maxKeys, maxFailures, operations) => {
          let now = 0;
          const rateLimiter = createRateLimiter({ maxFailures, windowMs: WINDOW, maxKeys, now: () => now });
          const running: Reservation[] = [];
          const advance = (ms: number) => {
            now += ms;
          };
          // Lock the victim first (its own attempts are the only ones it needs): the map may be full afterwards.
          for (let i = 0; i < maxFailures; i += 1) reserved(rateLimiter.reserve("victim")).fail();
          for (const op of operations) {
            apply(rateLimiter, op, running, advance);
            expect(rateLimiter.size()).toBeLessThanOrEqual(maxKeys);
            const attempt = rateLimiter.reserve("victim");
            if (now < WINDOW) {
              expect(attempt).toEqual({ ok: false, retryAfterMs: WINDOW - now });
            } else {
              // Its window is over: it may try again (unless the map is full of keys it must keep).
              if (attempt.ok) attempt.release();
              break;
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: a key with at least evictBelow failures keeps its count under any pressure from other keys", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 6 }),
        fc.array(operation, { maxLength: 200 }),
        (maxKeys, maxFailures, operations) => {
          const now = 0;
          const rateLimiter = createRateLimiter({ maxFailures, windowMs: WINDOW, maxKeys, now: () => now });
          const running: Reservation[] = [];
          reserved(rateLimiter.reserve("victim")).fail();
          reserved(rateLimiter.reserve("victim")).fail();
          for (const op of operations) {
            if (op.kind !== "advance") apply(rateLimiter, op, running, () => {});
          }
          // Exactly maxFailures − 2 more guesses, then locked.
          for (let i = 2; i < maxFailures; i += 1) reserved(rateLimiter.reserve("victim")).fail();
          expect(rateLimiter.reserve("victim")).toEqual({ ok: false, retryAfterMs: WINDOW });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: under any interleaving, a key's failures plus checks in flight never exceed the limit, and it is refused only at the limit", () => {
    type Step =
      | { kind: "reserve"; key: number }
      | { kind: "finish"; index: number; failed: boolean }
      | { kind: "succeed"; index: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("reserve" as const), key: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("finish" as const), index: fc.nat(), failed: fc.boolean() }),
      fc.record({ kind: fc.constant("succeed" as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 200 }), (maxFailures, steps) => {
        const rateLimiter = createRateLimiter({ maxFailures, windowMs: WINDOW, now: () => 0 });
        const failed = [0, 0, 0, 0];
        const inFlight = [0, 0, 0, 0];
        const running: { key: number; attempt: Reservation }[] = [];
        for (const s of steps) {
          if (s.kind === "reserve") {
            const attempt = rateLimiter.reserve(`k${s.key}`);
            const atLimit = (failed[s.key] ?? 0) + (inFlight[s.key] ?? 0) >= maxFailures;
            expect(attempt.ok).toBe(!atLimit);
            if (attempt.ok) {
              inFlight[s.key] = (inFlight[s.key] ?? 0) + 1;
              running.push({ key: s.key, attempt });
            }
          } else if (running.length > 0) {
            const [{ key, attempt }] = running.splice(s.index % running.length, 1) as [(typeof running)[number]];
            inFlight[key] = (inFlight[key] ?? 0) - 1;
            if (s.kind === "succeed") {
              attempt.release();
              rateLimiter.reset(`k${key}`);
              failed[key] = 0;
            } else if (s.failed) {
              attempt.fail();
              failed[key] = (failed[key] ?? 0) + 1;
            } else {
              attempt.release();
            }
          }
          for (let key = 0; key < 4; key += 1) {
            expect((failed[key] ?? 0) + (inFlight[key] ?? 0)).toBeLessThanOrEqual(maxFailures);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("sign-in limits", () => {
  const withAddress = (value: string | null) =>
    clientAddress(
      new Request("http://roster.test/login", { headers: value ? { "X-Roster-Client-Address": value } : {} }),
    );

  it("limits one trusted address across many emails, and leaves other addresses alone", async () => {
    let now = 0;
    const limits = createSignInLimits({ now: () => now });
    const address = withAddress("203.0.113.7");
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) {
      expect((await limits.check(`guess-${i}@example.com`, address, async () => null)).status).toBe("invalid");
    }
    const refused = await limits.check("owner@example.com", address, async () => "user");
    expect(refused).toEqual({ status: "rateLimited", retryAfterMs: SIGN_IN_WINDOW_MS });
    const elsewhere = await limits.check("owner@example.com", withAddress("203.0.113.8"), async () => "user");
    expect(elsewhere).toEqual({ status: "ok", value: "user" });
    now += SIGN_IN_WINDOW_MS;
    expect((await limits.check("owner@example.com", address, async () => "user")).status).toBe("ok");
  });

  it("skips the per-address limit when the request carries no trusted address", async () => {
    const limits = createSignInLimits();
    expect(withAddress(null)).toBeNull();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 5; i += 1)
      await limits.check(`guess-${i}@example.com`, null, async () => null);
    expect((await limits.check("owner@example.com", null, async () => "user")).status).toBe("ok");
  });

  it("a correct password for one account does not reset the address's count", async () => {
    const limits = createSignInLimits();
    const address = withAddress("198.51.100.1");
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS - 1; i += 1)
      await limits.check(`guess-${i}@example.com`, address, async () => null);
    expect((await limits.check("mine@example.com", address, async () => "me")).status).toBe("ok");
    await limits.check("guess-last@example.com", address, async () => null);
    expect((await limits.check("other@example.com", address, async () => "them")).status).toBe("rateLimited");
  });

  it("checks at most the per-email limit of thirty parallel guesses; the rest wait for nothing", async () => {
    const limits = createSignInLimits();
    let checked = 0;
    let finish: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const slowWrongPassword = async () => {
      checked += 1;
      await gate;
      return null;
    };
    const results = Array.from({ length: 30 }, () => limits.check("victim@example.com", null, slowWrongPassword));
    finish();
    const statuses = (await Promise.all(results)).map((result) => result.status);
    expect(checked).toBe(5);
    expect(statuses.filter((status) => status === "invalid")).toHaveLength(5);
    expect(statuses.filter((status) => status === "rateLimited")).toHaveLength(25);
  });

  it("a check that throws gives its attempt back", async () => {
    const limits = createSignInLimits();
    for (let i = 0; i < 10; i += 1) {
      await expect(
        limits.check("a@example.com", null, async () => Promise.reject(new Error("database busy"))),
      ).rejects.toThrow();
    }
    expect((await limits.check("a@example.com", null, async () => "user")).status).toBe("ok");
  });
});

describe("clientAddress", () => {
  const address = (headers: Record<string, string>) => clientAddress(new Request("http://roster.test/", { headers }));

  it("reads only the guard's header, never a client's Fly-Client-IP or X-Forwarded-For", () => {
    expect(address({ "Fly-Client-IP": "203.0.113.7", "X-Forwarded-For": "203.0.113.8" })).toBeNull();
    expect(address({ "X-Roster-Client-Address": "203.0.113.7" })).toBe("203.0.113.7");
  });

  it("folds IPv4-mapped IPv6 to IPv4 and IPv6 to its /64, and ignores anything that is not an address", () => {
    expect(address({ "X-Roster-Client-Address": "::ffff:127.0.0.1" })).toBe("127.0.0.1");
    expect(address({ "X-Roster-Client-Address": "2001:db8:1:2:3:4:5:6" })).toBe("2001:db8:1:2::/64");
    expect(address({ "X-Roster-Client-Address": "2001:DB8:1:2::99" })).toBe("2001:db8:1:2::/64");
    expect(address({ "X-Roster-Client-Address": "2001:db8::1" })).toBe("2001:db8:0:0::/64");
    expect(address({ "X-Roster-Client-Address": "::1" })).toBe("0:0:0:0::/64");
    for (const junk of ["", "unknown", "203.0.113.7, 10.0.0.1", "x".repeat(500), "1.2.3.4.5"]) {
      expect(address({ "X-Roster-Client-Address": junk })).toBeNull();
    }
  });
});
