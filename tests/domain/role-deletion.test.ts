// Deleting a custom role that members hold: every holder is moved to another role in the same transaction, and the
// deletion is refused when moving them would promote or demote anyone beyond the actor's authority.
import "../support/app-database";
import { beforeEach, describe, expect, it } from "vitest";
import { sqlite } from "~/db/client.server";
import { deleteRole } from "~/members/roles.server";
import {
  addMember,
  customRole,
  membershipSnapshot,
  newOrganization,
  roleIdsOf,
  type TestMember,
  type TestOrganization,
} from "../support/domain";

let org: TestOrganization;
let viewers: number;
let managers: number;
let manager: TestMember;

const roleExists = (roleId: number) => sqlite.prepare("select 1 from roles where id = ?").get(roleId) !== undefined;

beforeEach(() => {
  org = newOrganization();
  viewers = customRole(org, ["activity.view"], "Viewers");
  managers = customRole(org, ["members.manage"], "Managers");
  manager = addMember(org, [managers]);
});

describe("deleting a role that members hold", () => {
  it("needs a role to move its holders to, and refuses the role itself or another organization's", () => {
    addMember(org, [viewers]);
    const elsewhere = newOrganization("Elsewhere");
    expect(deleteRole(org.owner(), viewers)).toEqual({ ok: false, error: "reassignRequired" });
    expect(deleteRole(org.owner(), viewers, viewers)).toEqual({ ok: false, error: "reassignInvalid" });
    expect(deleteRole(org.owner(), viewers, elsewhere.roles.member)).toEqual({ ok: false, error: "reassignInvalid" });
    expect(roleExists(viewers)).toBe(true);
  });

  it("moves every holder to the new role, keeps their other roles, and leaves nobody without one", () => {
    const onlyViewer = addMember(org, [viewers]);
    const alreadyMember = addMember(org, [viewers, org.roles.member]);
    const alsoManager = addMember(org, [viewers, managers]);
    const invited = addMember(org, [viewers], { status: "invited" });

    expect(deleteRole(org.owner(), viewers, org.roles.member)).toEqual({ ok: true });

    expect(roleExists(viewers)).toBe(false);
    expect(roleIdsOf(onlyViewer.memberId)).toEqual([org.roles.member]);
    expect(roleIdsOf(alreadyMember.memberId)).toEqual([org.roles.member]);
    expect(roleIdsOf(alsoManager.memberId)).toEqual([org.roles.member, managers]);
    expect(roleIdsOf(invited.memberId)).toEqual([org.roles.member]);
    expect(roleIdsOf(manager.memberId)).toEqual([managers]);
  });

  it("deletes a role nobody holds without asking where to move anyone", () => {
    const unused = customRole(org, [], "Unused");
    expect(deleteRole(manager.actor(), unused)).toEqual({ ok: true });
    expect(roleExists(unused)).toBe(false);
  });

  it("moves the holders in the same transaction as the deletion: if the deletion fails, nobody was moved", () => {
    const holder = addMember(org, [viewers]);
    sqlite.exec(`create temp trigger refuse_role_delete before delete on roles when old.id = ${viewers}
                 begin select raise(abort, 'refused by the test'); end`);
    try {
      expect(() => deleteRole(org.owner(), viewers, org.roles.member)).toThrow("refused by the test");
    } finally {
      sqlite.exec("drop trigger temp.refuse_role_delete");
    }
    expect(roleIdsOf(holder.memberId)).toEqual([viewers]);
    expect(roleExists(viewers)).toBe(true);
  });
});

describe("deleting a role is no way to promote or demote", () => {
  it("refuses a manager moving holders to a role with a permission the manager lacks", () => {
    const helpers = customRole(org, [], "Helpers");
    addMember(org, [helpers]);
    const before = membershipSnapshot(org.organizationId);
    expect(deleteRole(manager.actor(), helpers, org.roles.admin)).toEqual({ ok: false, error: "cannotGrant" });
    expect(deleteRole(manager.actor(), helpers, viewers)).toEqual({ ok: false, error: "cannotGrant" });
    expect(membershipSnapshot(org.organizationId)).toBe(before);
  });

  it("refuses a manager deleting their own role to reach Admin", () => {
    expect(deleteRole(manager.actor(), managers, org.roles.admin)).toEqual({ ok: false, error: "cannotGrant" });
    expect(roleIdsOf(manager.memberId)).toEqual([managers]);
  });

  it("refuses a manager demoting a holder who holds more than the manager", () => {
    const helpers = customRole(org, ["members.manage"], "Helpers");
    const senior = addMember(org, [helpers, viewers]);
    const before = membershipSnapshot(org.organizationId);
    expect(deleteRole(manager.actor(), helpers, org.roles.member)).toEqual({ ok: false, error: "outranked" });
    expect(membershipSnapshot(org.organizationId)).toBe(before);
    expect(roleIdsOf(senior.memberId)).toEqual([viewers, helpers]);
  });

  it("lets a manager delete a role within their authority, moving its holders", () => {
    const helpers = customRole(org, ["members.manage"], "Helpers");
    const junior = addMember(org, [helpers]);
    expect(deleteRole(manager.actor(), helpers, org.roles.member)).toEqual({ ok: true });
    expect(roleIdsOf(junior.memberId)).toEqual([org.roles.member]);
  });
});
