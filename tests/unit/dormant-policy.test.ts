// The dormant-account policy's rules at their edges: the threshold and grace days, the owner, exempt roles,
// deactivated and reactivated members, and the date the members page shows (app/dormant/policy.ts).
import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY,
  deactivationDay,
  dormantAfter,
  isDormant,
  nextRunAt,
  type PolicyMember,
  type PolicySettings,
} from "~/dormant/policy";
import { DAY, HOUR } from "~/lib/time";

const now = Date.UTC(2027, 0, 20, 12);
const policy: PolicySettings = { ...DEFAULT_POLICY, enabled: true, thresholdDays: 90, graceDays: 7 };

function member(changes: Partial<PolicyMember> = {}): PolicyMember {
  return {
    isOwner: false,
    deactivatedAt: null,
    createdAt: now - 400 * DAY,
    lastActiveAt: now - 10 * DAY,
    reactivatedAt: null,
    roleIds: [2],
    ...changes,
  };
}

describe("who is dormant", () => {
  it("counts a member dormant only once strictly more than the threshold has passed since their last activity", () => {
    expect(isDormant(member({ lastActiveAt: now - 90 * DAY }), policy, now)).toBe(false);
    expect(isDormant(member({ lastActiveAt: now - 90 * DAY - 1 }), policy, now)).toBe(true);
    expect(isDormant(member({ lastActiveAt: now - 30 * DAY - 1 }), { ...policy, thresholdDays: 30 }, now)).toBe(true);
  });

  it("counts a never-active member dormant once the grace after their invitation has passed, not the threshold", () => {
    expect(isDormant(member({ lastActiveAt: null, createdAt: now - 7 * DAY }), policy, now)).toBe(false);
    expect(isDormant(member({ lastActiveAt: null, createdAt: now - 7 * DAY - 1 }), policy, now)).toBe(true);
    expect(isDormant(member({ lastActiveAt: null, createdAt: now - DAY }), policy, now)).toBe(false);
  });

  it("never catches the owner, a deactivated member or a holder of an exempt role", () => {
    const longGone = { lastActiveAt: now - 500 * DAY };
    expect(isDormant(member({ ...longGone, isOwner: true }), policy, now)).toBe(false);
    expect(isDormant(member({ ...longGone, deactivatedAt: now - DAY }), policy, now)).toBe(false);
    expect(isDormant(member({ ...longGone, roleIds: [2, 5] }), { ...policy, exemptRoleIds: [5] }, now)).toBe(false);
    expect(isDormant(member({ ...longGone, roleIds: [2] }), { ...policy, exemptRoleIds: [5] }, now)).toBe(true);
  });

  it("restarts the clock when a member is reactivated, never-active members included", () => {
    const reactivated = member({ lastActiveAt: now - 300 * DAY, reactivatedAt: now - 10 * DAY });
    expect(isDormant(reactivated, policy, now)).toBe(false);
    expect(dormantAfter(reactivated, policy)).toBe(now + 80 * DAY);
    expect(isDormant(member({ lastActiveAt: now - 300 * DAY, reactivatedAt: now - 91 * DAY }), policy, now)).toBe(true);
    const neverActive = member({ lastActiveAt: null, reactivatedAt: now - 3 * DAY });
    expect(isDormant(neverActive, policy, now)).toBe(false);
    expect(dormantAfter(neverActive, policy)).toBe(now + 4 * DAY);
  });
});

describe("when the sweep runs and what the members page says", () => {
  it("runs today when today's run has not happened, else tomorrow (UTC days)", () => {
    expect(nextRunAt(null, now)).toBe(now);
    expect(nextRunAt(now - 2 * DAY, now)).toBe(now);
    expect(nextRunAt(Date.UTC(2027, 0, 20, 0, 5), now)).toBe(Date.UTC(2027, 0, 21));
  });

  it("dates a member crossing the line within 14 days to the next day's run, and no one beyond 14 days", () => {
    const crossing = member({ lastActiveAt: now - 85 * DAY });
    expect(deactivationDay(crossing, policy, now, null)).toBe(Date.UTC(2027, 0, 26));
    expect(deactivationDay(member({ lastActiveAt: now - 76 * DAY - HOUR }), policy, now, null)).toBe(
      Date.UTC(2027, 1, 4),
    );
    expect(deactivationDay(member({ lastActiveAt: now - 76 * DAY }), policy, now, null)).toBeNull();
    expect(deactivationDay(crossing, { ...policy, enabled: false }, now, null)).toBeNull();
    expect(deactivationDay({ ...crossing, isOwner: true }, policy, now, null)).toBeNull();
  });

  it("dates a member already past the line to the next run", () => {
    const overdue = member({ lastActiveAt: now - 95 * DAY });
    expect(deactivationDay(overdue, policy, now, null)).toBe(Date.UTC(2027, 0, 20));
    expect(deactivationDay(overdue, policy, now, Date.UTC(2027, 0, 20, 1))).toBe(Date.UTC(2027, 0, 21));
  });
});
