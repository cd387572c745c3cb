// The audit log's guarantee in process: an entry is written in the transaction of the change it records, so a change
// whose entry cannot be stored is not stored either, and a refused change leaves neither.
import "../support/app-database";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlite } from "~/db/client.server";
import { inviteMember } from "~/members/invitations.server";
import { deactivateMembers, removeMember, setMemberRoles } from "~/members/members.server";
import { createRole, deleteRole, updateRole } from "~/members/roles.server";
import {
  addMember,
  customRole,
  membershipSnapshot,
  newOrganization,
  type TestMember,
  type TestOrganization,
} from "../support/domain";

let org: TestOrganization;
let member: TestMember;
const count = () => sqlite.prepare("select count(*) from audit_events").pluck().get() as number;

beforeEach(() => {
  org = newOrganization();
  member = addMember(org, [org.roles.member]);
});
afterEach(() => {
  sqlite.exec("drop trigger if exists audit_events_refuse_insert");
});

describe("an audit entry and its change", () => {
  it("are stored together or not at all", () => {
    const viewers = customRole(org, ["activity.view"], "Viewers");
    const before = membershipSnapshot(org.organizationId);
    const entries = count();
    // A log that cannot take the entry (as a full disk would refuse it): every change fails whole.
    sqlite.exec(`create temp trigger audit_events_refuse_insert before insert on audit_events
                 begin select raise(abort, 'no room for the entry'); end`);
    const changes = [
      () => setMemberRoles(org.owner(), member.memberId, [org.roles.admin]),
      () => deactivateMembers(org.owner(), [member.memberId]),
      () => removeMember(org.owner(), member.memberId),
      () => inviteMember(org.owner(), "new@example.com", [org.roles.member]),
      () => createRole(org.owner(), "Volunteers", []),
      () => updateRole(org.owner(), viewers, "Watchers", ["activity.view"]),
      () => deleteRole(org.owner(), viewers),
    ];
    for (const change of changes) expect(change).toThrow(/no room for the entry/);
    expect(membershipSnapshot(org.organizationId)).toEqual(before);
    expect(count()).toBe(entries);
  });

  it("a refused change writes no entry, an unchanged one neither", () => {
    const managers = customRole(org, ["members.manage"], "Managers");
    const manager = addMember(org, [managers]);
    const admin = addMember(org, [org.roles.admin]);
    const entries = count();
    expect(deactivateMembers(manager.actor(), [admin.memberId])).toEqual({ ok: false, error: "outranked" });
    expect(deactivateMembers(manager.actor(), [member.memberId, org.ownerMemberId])).toMatchObject({ ok: false });
    expect(setMemberRoles(manager.actor(), member.memberId, [org.roles.admin])).toMatchObject({ ok: false });
    expect(setMemberRoles(org.owner(), member.memberId, [org.roles.member])).toEqual({ ok: true });
    expect(updateRole(org.owner(), managers, "Managers", ["members.manage"])).toEqual({ ok: true });
    expect(count()).toBe(entries);
  });

  it("a bulk deactivation writes one entry per member it deactivated, at one time, with how it was asked", () => {
    const others = [addMember(org, [org.roles.member]), addMember(org, [org.roles.member], { status: "deactivated" })];
    const from = sqlite.prepare("select max(id) from audit_events").pluck().get() as number;
    const ids = [member.memberId, ...others.map((other) => other.memberId)];
    expect(deactivateMembers(org.owner(), ids, "dormant", 1_800_000_000_000)).toEqual({ ok: true });
    const rows = sqlite
      .prepare("select target_id as targetId, at, change from audit_events where id > ? order by id")
      .all(from) as { targetId: number; at: number; change: string }[];
    expect(rows.map((row) => row.targetId)).toEqual([member.memberId, others[0]?.memberId]);
    for (const row of rows) {
      expect(row.at).toBe(1_800_000_000_000);
      expect(JSON.parse(row.change)).toEqual({ status: { before: "active", after: "deactivated" }, kind: "dormant" });
    }
  });
});
