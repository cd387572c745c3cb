// The authority rule, case by case, in process: nobody grants a permission they lack, and the owner is never
// deactivated, removed or stripped of access (docs/decisions/009-one-authority-rule.md).
import "../support/app-database";
import { beforeEach, describe, expect, it } from "vitest";
import { EVERY_PERMISSION, loadStandings } from "~/members/authority.server";
import { inviteMember } from "~/members/invitations.server";
import { deactivateMembers, reactivateMember, removeMember, setMemberRoles } from "~/members/members.server";
import { createRole, updateRole } from "~/members/roles.server";
import {
  actorFor,
  addMember,
  customRole,
  memberRow,
  membershipSnapshot,
  newOrganization,
  roleIdsOf,
  type TestMember,
  type TestOrganization,
} from "../support/domain";

let org: TestOrganization;
let managers: number;
let viewers: number;
let manager: TestMember;
let viewer: TestMember;
let admin: TestMember;
let plain: TestMember;

beforeEach(() => {
  org = newOrganization();
  managers = customRole(org, ["members.manage"], "Managers");
  viewers = customRole(org, ["activity.view"], "Viewers");
  manager = addMember(org, [managers]);
  viewer = addMember(org, [viewers]);
  admin = addMember(org, [org.roles.admin]);
  plain = addMember(org, [org.roles.member]);
});

describe("nobody grants a permission they lack", () => {
  it("a manager invites with roles within their own permissions, and not with Admin or a viewing role", () => {
    expect(inviteMember(manager.actor(), "fine@example.com", [org.roles.member]).ok).toBe(true);
    expect(inviteMember(manager.actor(), "helper@example.com", [managers]).ok).toBe(true);
    const before = membershipSnapshot(org.organizationId);
    expect(inviteMember(manager.actor(), "boss@example.com", [org.roles.admin])).toEqual({
      ok: false,
      error: "cannotGrant",
    });
    expect(inviteMember(manager.actor(), "peek@example.com", [org.roles.member, viewers])).toEqual({
      ok: false,
      error: "cannotGrant",
    });
    expect(membershipSnapshot(org.organizationId)).toBe(before);
  });

  it("a manager cannot give a member a role with a permission the manager lacks", () => {
    expect(setMemberRoles(manager.actor(), plain.memberId, [viewers])).toEqual({ ok: false, error: "cannotGrant" });
    expect(setMemberRoles(manager.actor(), plain.memberId, [org.roles.admin])).toEqual({
      ok: false,
      error: "cannotGrant",
    });
    expect(roleIdsOf(plain.memberId)).toEqual([org.roles.member]);
    expect(setMemberRoles(manager.actor(), plain.memberId, [managers])).toEqual({ ok: true });
  });

  it("a manager cannot create a role with a permission they lack, nor widen a role to one", () => {
    expect(createRole(manager.actor(), "Peekers", ["activity.view"])).toEqual({ ok: false, error: "cannotGrant" });
    const helpers = customRole(org, [], "Helpers");
    expect(updateRole(manager.actor(), helpers, "Helpers", ["activity.view"])).toEqual({
      ok: false,
      error: "cannotGrant",
    });
    expect(updateRole(manager.actor(), helpers, "Helpers", ["members.manage"])).toEqual({ ok: true });
  });

  it("a viewer changes no membership at all", () => {
    const before = membershipSnapshot(org.organizationId);
    expect(inviteMember(viewer.actor(), "x@example.com", [org.roles.member])).toEqual({
      ok: false,
      error: "permission",
    });
    expect(setMemberRoles(viewer.actor(), plain.memberId, [viewers])).toEqual({ ok: false, error: "permission" });
    expect(deactivateMembers(viewer.actor(), [plain.memberId])).toEqual({ ok: false, error: "permission" });
    expect(createRole(viewer.actor(), "Mine", [])).toEqual({ ok: false, error: "permission" });
    expect(membershipSnapshot(org.organizationId)).toBe(before);
  });

  it("a manager cannot take access from someone who holds more than they do", () => {
    expect(deactivateMembers(manager.actor(), [admin.memberId])).toEqual({ ok: false, error: "outranked" });
    expect(removeMember(manager.actor(), viewer.memberId)).toEqual({ ok: false, error: "outranked" });
    expect(setMemberRoles(manager.actor(), admin.memberId, [org.roles.member])).toEqual({
      ok: false,
      error: "outranked",
    });
    expect(memberRow(admin.memberId)?.deactivatedAt).toBeNull();
    expect(roleIdsOf(admin.memberId)).toEqual([org.roles.admin]);
  });

  it("a manager cannot give a deactivated admin their access back", () => {
    const dormant = addMember(org, [org.roles.admin], { status: "deactivated" });
    expect(reactivateMember(manager.actor(), dormant.memberId)).toEqual({ ok: false, error: "outranked" });
    expect(reactivateMember(admin.actor(), dormant.memberId)).toEqual({ ok: true });
  });
});

describe("the owner is never deactivated, removed or stripped", () => {
  it("an admin cannot deactivate, remove or change the roles of the owner", () => {
    const before = membershipSnapshot(org.organizationId);
    expect(deactivateMembers(admin.actor(), [org.ownerMemberId])).toEqual({ ok: false, error: "ownerProtected" });
    expect(removeMember(admin.actor(), org.ownerMemberId)).toEqual({ ok: false, error: "ownerProtected" });
    expect(setMemberRoles(admin.actor(), org.ownerMemberId, [org.roles.member])).toEqual({
      ok: false,
      error: "ownerProtected",
    });
    expect(membershipSnapshot(org.organizationId)).toBe(before);
  });

  it("not even the owner deactivates or removes the owner", () => {
    expect(deactivateMembers(org.owner(), [org.ownerMemberId])).toEqual({ ok: false, error: "ownerProtected" });
    expect(removeMember(org.owner(), org.ownerMemberId)).toEqual({ ok: false, error: "ownerProtected" });
    expect(memberRow(org.ownerMemberId)).toMatchObject({ isOwner: 1, deactivatedAt: null });
  });

  it("deactivating a selection that includes the owner deactivates nobody", () => {
    expect(deactivateMembers(admin.actor(), [plain.memberId, org.ownerMemberId])).toEqual({
      ok: false,
      error: "ownerProtected",
    });
    expect(memberRow(plain.memberId)?.deactivatedAt).toBeNull();
  });

  it("the owner holds every permission whatever their roles", () => {
    expect(setMemberRoles(org.owner(), org.ownerMemberId, [org.roles.member])).toEqual({ ok: true });
    expect(roleIdsOf(org.ownerMemberId)).toEqual([org.roles.member]);
    expect(loadStandings(org.organizationId, [org.ownerMemberId]).get(org.ownerMemberId)?.permissions).toEqual(
      EVERY_PERMISSION,
    );
    expect(actorFor(org.ownerMemberId).permissions).toEqual(EVERY_PERMISSION);
  });
});
