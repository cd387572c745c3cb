// The dormant-account sweep in process (app/dormant/sweep.server.ts): it deactivates whom the policy catches and no one
// else, once per organization per UTC day, in batches, ending their sessions and recording one audit entry each with
// the system as actor; a reactivated member survives the next run; a policy changed mid-run stops it.
import "../support/app-database";
import { beforeEach, describe, expect, it } from "vitest";
import { insertSession } from "~/auth/session-rows.server";
import { db, sqlite } from "~/db/client.server";
import { DEFAULT_POLICY } from "~/dormant/policy";
import { loadPolicy, savePolicy } from "~/dormant/policy.server";
import { organizationsDue, SWEEP_BATCH, sweepOrganization } from "~/dormant/sweep.server";
import { DAY, HOUR } from "~/lib/time";
import { reactivateMember } from "~/members/members.server";
import { addMember, customRole, memberRow, newOrganization, type TestOrganization } from "../support/domain";

const NOW = Date.UTC(2027, 2, 1, 0, 30);
let org: TestOrganization;

function setActivity(memberId: number, lastActiveAt: number | null, createdAt = NOW - 400 * DAY) {
  sqlite
    .prepare("update members set last_active_at = ?, created_at = ? where id = ?")
    .run(lastActiveAt, createdAt, memberId);
}

function dormantMember() {
  const member = addMember(org, [org.roles.member]);
  setActivity(member.memberId, NOW - 100 * DAY);
  return member;
}

function systemEntries() {
  return sqlite
    .prepare(
      `select actor_member_id as actor, actor_label as actorLabel, action, target_id as target, target_label as label,
       change from audit_events where organization_id = ? and action = 'member.deactivated' order by target_id`,
    )
    .all(org.organizationId) as {
    actor: number | null;
    actorLabel: string | null;
    target: number;
    label: string;
    change: string;
  }[];
}

const deactivated = (memberId: number) => memberRow(memberId)?.deactivatedAt !== null;

beforeEach(() => {
  org = newOrganization();
  const saved = savePolicy(org.owner(), { ...DEFAULT_POLICY, enabled: true }, NOW - 5 * DAY);
  if (!saved.ok) throw new Error(saved.error);
});

describe("the dormant-account sweep", () => {
  it("deactivates the dormant and the long-invited, never the owner, the recently active, exempt or reactivated", async () => {
    const volunteers = customRole(org, [], "Volunteers");
    const dormant = dormantMember();
    const invited = addMember(org, [org.roles.member], { status: "invited" });
    setActivity(invited.memberId, null, NOW - 8 * DAY);
    const freshInvite = addMember(org, [org.roles.member], { status: "invited" });
    setActivity(freshInvite.memberId, null, NOW - 6 * DAY);
    const recent = addMember(org, [org.roles.member]);
    setActivity(recent.memberId, NOW - 89 * DAY);
    const exempt = addMember(org, [volunteers]);
    setActivity(exempt.memberId, NOW - 300 * DAY);
    const reactivated = dormantMember();
    sqlite.prepare("update members set reactivated_at = ? where id = ?").run(NOW - 3 * DAY, reactivated.memberId);
    setActivity(org.ownerMemberId, NOW - 500 * DAY);
    savePolicy(org.owner(), { ...DEFAULT_POLICY, enabled: true, exemptRoleIds: [volunteers] }, NOW - 4 * DAY);

    const run = await sweepOrganization(org.organizationId, NOW);
    expect(run).toMatchObject({ deactivated: 2, finished: true });
    expect(deactivated(dormant.memberId)).toBe(true);
    expect(deactivated(invited.memberId)).toBe(true);
    for (const kept of [freshInvite, recent, exempt, reactivated]) expect(deactivated(kept.memberId)).toBe(false);
    expect(deactivated(org.ownerMemberId)).toBe(false);
    expect(loadPolicy(org.organizationId)).toMatchObject({ lastRunAt: NOW, lastRunCount: 2 });
    const entries = systemEntries();
    expect(entries.map((entry) => [entry.actor, entry.actorLabel, entry.target])).toEqual([
      [null, null, dormant.memberId],
      [null, null, invited.memberId],
    ]);
    expect(JSON.parse(entries[0]?.change ?? "")).toEqual({
      status: { before: "active", after: "deactivated" },
      reason: "dormant",
    });
    expect(JSON.parse(entries[1]?.change ?? "").status.before).toBe("invited");
    expect(entries[0]?.label).toContain(dormant.email);
    // Last-active values never appear in the log.
    expect(JSON.stringify(entries)).not.toContain(String(NOW - 100 * DAY));
  });

  it("ends the deactivated members' sessions in the organization at once, and no one else's", async () => {
    const dormant = dormantMember();
    const active = addMember(org, [org.roles.member]);
    setActivity(active.memberId, NOW - DAY);
    const elsewhere = newOrganization("Elsewhere");
    const sessions = (userId: number) =>
      sqlite
        .prepare("select organization_id from sessions where user_id = ? order by organization_id")
        .pluck()
        .all(userId);
    for (const [userId, organizationId] of [
      [dormant.userId, org.organizationId],
      [dormant.userId, elsewhere.organizationId],
      [active.userId, org.organizationId],
    ] as const) {
      insertSession(db, { userId, organizationId, now: NOW });
    }
    await sweepOrganization(org.organizationId, NOW);
    expect(sessions(dormant.userId)).toEqual([elsewhere.organizationId]);
    expect(sessions(active.userId)).toEqual([org.organizationId]);
  });

  it("runs once per UTC day: a second run the same day does nothing, the next day's catches only the newly dormant", async () => {
    const first = dormantMember();
    expect((await sweepOrganization(org.organizationId, NOW))?.deactivated).toBe(1);
    expect(organizationsDue(NOW + HOUR)).not.toContain(org.organizationId);
    expect(await sweepOrganization(org.organizationId, NOW + 20 * HOUR)).toBeNull();

    const second = dormantMember();
    expect(organizationsDue(NOW + DAY)).toContain(org.organizationId);
    expect((await sweepOrganization(org.organizationId, NOW + DAY))?.deactivated).toBe(1);
    expect(systemEntries().map((entry) => entry.target)).toEqual([first.memberId, second.memberId]);
  });

  it("catches up after downtime: one run deactivates everyone who became dormant meanwhile", async () => {
    const members = [dormantMember(), dormantMember()];
    setActivity(members[1]?.memberId ?? 0, NOW - 30 * DAY);
    expect((await sweepOrganization(org.organizationId, NOW + 70 * DAY))?.deactivated).toBe(2);
  });

  it("does not catch a reactivated member again on the next run: reactivating restarts the clock", async () => {
    const member = dormantMember();
    await sweepOrganization(org.organizationId, NOW);
    expect(deactivated(member.memberId)).toBe(true);
    expect(reactivateMember(org.owner(), member.memberId, NOW + HOUR)).toEqual({ ok: true });
    expect(await sweepOrganization(org.organizationId, NOW + DAY)).toMatchObject({ deactivated: 0 });
    expect(deactivated(member.memberId)).toBe(false);
    // Still inactive 90 days after the reactivation: caught again.
    expect(await sweepOrganization(org.organizationId, NOW + 91 * DAY)).toMatchObject({ deactivated: 1 });
  });

  it("works in batches, each member once, and stops when the policy changes mid-run", async () => {
    const many = Array.from({ length: SWEEP_BATCH * 2 + 5 }, () => dormantMember());
    const running = sweepOrganization(org.organizationId, NOW);
    // The first batch ran before the sweep yielded; the admin turns the policy off before the second.
    savePolicy(org.owner(), DEFAULT_POLICY, NOW);
    expect(await running).toMatchObject({ deactivated: SWEEP_BATCH, finished: false });

    savePolicy(org.owner(), { ...DEFAULT_POLICY, enabled: true }, NOW + DAY);
    const run = await sweepOrganization(org.organizationId, NOW + DAY);
    expect(run).toMatchObject({ deactivated: SWEEP_BATCH + 5, finished: true });
    expect(many.every((member) => deactivated(member.memberId))).toBe(true);
    expect(new Set(systemEntries().map((entry) => entry.target)).size).toBe(many.length);
    expect(systemEntries()).toHaveLength(many.length);
  });

  it("does nothing while the policy is off", async () => {
    const member = dormantMember();
    savePolicy(org.owner(), DEFAULT_POLICY, NOW);
    expect(organizationsDue(NOW)).not.toContain(org.organizationId);
    expect(await sweepOrganization(org.organizationId, NOW)).toBeNull();
    expect(deactivated(member.memberId)).toBe(false);
  });
});
