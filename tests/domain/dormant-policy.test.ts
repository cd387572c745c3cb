// The dormant-account policy in process: who may set it (decision 017's authority rule), one policy.changed audit entry
// per change and none for a refused or empty save, and the SQL rules agreeing with the rules in app/dormant/policy.ts
// and with the members page's "inactive 90+ days".
import "../support/app-database";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db, sqlite } from "~/db/client.server";
import { members } from "~/db/schema";
import { DEFAULT_POLICY, isDormant, type PolicySettings } from "~/dormant/policy";
import { dormantCondition, loadPolicy, previewPolicy, savePolicy } from "~/dormant/policy.server";
import { DAY } from "~/lib/time";
import { countMembers } from "~/members/member-list.server";
import { addMember, customRole, newOrganization, type TestOrganization } from "../support/domain";

const NOW = Date.UTC(2027, 2, 1, 12);
const ON: PolicySettings = { ...DEFAULT_POLICY, enabled: true };

function auditEntries(organizationId: number) {
  return sqlite
    .prepare(
      "select actor_member_id as actor, action, target_type as type, change from audit_events where organization_id = ? and action = 'policy.changed'",
    )
    .all(organizationId) as { actor: number | null; action: string; type: string; change: string }[];
}

let org: TestOrganization;

beforeEach(() => {
  org = newOrganization();
});

describe("setting the policy", () => {
  it("lets the owner and a holder of every permission set it, and records one entry with before and after", () => {
    const admin = addMember(org, [org.roles.admin]);
    expect(savePolicy(admin.actor(), { ...ON, thresholdDays: 60, exemptRoleIds: [org.roles.admin] })).toEqual({
      ok: true,
      changed: true,
    });
    expect(loadPolicy(org.organizationId)).toMatchObject({ enabled: true, thresholdDays: 60, graceDays: 7 });
    const [entry, ...rest] = auditEntries(org.organizationId);
    expect(rest).toEqual([]);
    expect(entry?.actor).toBe(admin.memberId);
    expect(JSON.parse(entry?.change ?? "{}")).toEqual({
      enabled: { before: false, after: true },
      thresholdDays: { before: 90, after: 60 },
      exemptRoles: { before: [], after: ["Admin"] },
    });
    expect(savePolicy(org.owner(), { ...ON, thresholdDays: 120, exemptRoleIds: [] }).ok).toBe(true);
    expect(auditEntries(org.organizationId)).toHaveLength(2);
  });

  it("refuses anyone lacking a permission — the policy may deactivate any member — and records nothing", () => {
    const manager = addMember(org, [customRole(org, ["members.manage"])]);
    const hr = addMember(org, [customRole(org, ["activity.view"])]);
    expect(savePolicy(manager.actor(), ON)).toEqual({ ok: false, error: "permission" });
    expect(savePolicy(hr.actor(), ON)).toEqual({ ok: false, error: "permission" });
    expect(loadPolicy(org.organizationId).updatedAt).toBeNull();
    expect(auditEntries(org.organizationId)).toEqual([]);
  });

  it("refuses another organization's role as exempt, and records nothing for a save that changes nothing", () => {
    const other = newOrganization("Other");
    expect(savePolicy(org.owner(), { ...ON, exemptRoleIds: [other.roles.admin] })).toEqual({
      ok: false,
      error: "unknownRole",
    });
    expect(savePolicy(org.owner(), DEFAULT_POLICY)).toEqual({ ok: true, changed: false });
    expect(auditEntries(org.organizationId)).toEqual([]);
  });
});

describe("the policy's SQL", () => {
  /** Members on every edge: each threshold and grace line ±1 ms, reactivated, exempt, deactivated, and the owner. */
  function edgeMembers(exempt: number) {
    const lines = [-1, 0, 1];
    const made: number[] = [];
    for (const days of [7, 30, 60, 90, 120]) {
      for (const delta of lines) {
        for (const variant of ["active", "never", "reactivated", "exempt", "deactivated"] as const) {
          const member = addMember(org, variant === "exempt" ? [exempt] : [org.roles.member], {
            status: variant === "deactivated" ? "deactivated" : "active",
          });
          const at = NOW - days * DAY + delta;
          sqlite
            .prepare("update members set last_active_at = ?, created_at = ?, reactivated_at = ? where id = ?")
            .run(
              variant === "never" ? null : at,
              variant === "never" ? at : NOW - 400 * DAY,
              variant === "reactivated" ? NOW - 5 * DAY + delta : null,
              member.memberId,
            );
          made.push(member.memberId);
        }
      }
    }
    return made;
  }

  function caughtBySql(policy: PolicySettings, asOf: number): number[] {
    return db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.organizationId, org.organizationId), dormantCondition(policy, asOf)))
      .all()
      .map((row) => row.id)
      .sort((a, b) => a - b);
  }

  function caughtByRules(policy: PolicySettings, asOf: number): number[] {
    const rows = sqlite
      .prepare(
        `select id, is_owner as isOwner, deactivated_at as deactivatedAt, created_at as createdAt,
           last_active_at as lastActiveAt, reactivated_at as reactivatedAt,
           (select json_group_array(role_id) from member_roles where member_id = members.id) as roleIds
         from members where organization_id = ? order by id`,
      )
      .all(org.organizationId) as (Record<string, number | null> & { roleIds: string })[];
    return rows
      .filter((row) =>
        isDormant(
          {
            isOwner: row.isOwner === 1,
            deactivatedAt: row.deactivatedAt ?? null,
            createdAt: row.createdAt ?? 0,
            lastActiveAt: row.lastActiveAt ?? null,
            reactivatedAt: row.reactivatedAt ?? null,
            roleIds: JSON.parse(row.roleIds) as number[],
          },
          policy,
          asOf,
        ),
      )
      .map((row) => row.id as number);
  }

  it("catches exactly the members the rules catch, on every edge", () => {
    const exempt = customRole(org, [], "Volunteers");
    edgeMembers(exempt);
    sqlite.prepare("update members set last_active_at = ? where id = ?").run(NOW - 500 * DAY, org.ownerMemberId);
    for (const policy of [
      { ...ON, thresholdDays: 30, graceDays: 7 },
      { ...ON, thresholdDays: 90, graceDays: 30, exemptRoleIds: [exempt] },
      { ...ON, thresholdDays: 60, graceDays: 90 },
    ]) {
      const expected = caughtByRules(policy, NOW);
      expect(expected.length).toBeGreaterThan(0);
      expect(caughtBySql(policy, NOW), JSON.stringify(policy)).toEqual(expected);
      expect(previewPolicy(org.organizationId, policy, NOW).total).toBe(expected.length);
    }
  });

  it("agrees with the members page's “inactive 90+ days” for members who were active and never reactivated", () => {
    for (const days of [89, 90, 91, 200]) {
      for (const delta of [-1, 0, 1]) {
        const member = addMember(org, [org.roles.member]);
        sqlite
          .prepare("update members set last_active_at = ? where id = ?")
          .run(NOW - days * DAY + delta, member.memberId);
      }
    }
    addMember(org, [org.roles.member], { status: "deactivated" });
    const caught = caughtBySql({ ...ON, thresholdDays: 90 }, NOW);
    expect(caught.length).toBe(countMembers(org.organizationId, { q: "", status: "inactive90" }, NOW));
    expect(caught.length).toBe(7);
  });
});
