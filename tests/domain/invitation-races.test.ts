// Invitations when things happen in an unlucky order: accepted twice, accepted after a revoke, a renewed link racing
// the old one, an inviter who lost the authority the invitation carries. A link works once, and only while it should.
import "../support/app-database";
import { beforeEach, describe, expect, it } from "vitest";
import { checkEmailCode, issueEmailCode } from "~/auth/email-codes.server";
import { sqlite } from "~/db/client.server";
import { DAY } from "~/lib/time";
import {
  acceptInvitation,
  acceptWithProvenAddress,
  INVITATION_TTL_MS,
  inviteMember,
  lookupInvitation,
  renewInvitation,
  revokeInvitation,
} from "~/members/invitations.server";
import { deactivateMembers, reactivateMember, removeMember, setMemberRoles } from "~/members/members.server";
import {
  addMember,
  customRole,
  memberRow,
  newOrganization,
  type TestMember,
  type TestOrganization,
} from "../support/domain";

let org: TestOrganization;
let viewers: number;
let managers: number;

beforeEach(() => {
  org = newOrganization();
  viewers = customRole(org, ["activity.view"], "Viewers");
  managers = customRole(org, ["members.manage"], "Managers");
});

const invite = (options: { invitedBy?: TestMember; roles?: number[] } = {}) =>
  addMember(org, options.roles ?? [org.roles.member], { status: "invited", invitedBy: options.invitedBy?.actor() });

/** A correct emailed code for the invitation, checked as the invitation page checks it. */
function provenCode(invitationId: number, email: string, now = Date.now()): number {
  const issued = issueEmailCode(invitationId, email, now);
  if (!issued.ok) throw new Error("no code issued");
  const checked = checkEmailCode(invitationId, email, issued.code, now);
  if (checked.status !== "ok") throw new Error(`code: ${checked.status}`);
  return checked.codeId;
}

const passwordHashOf = (userId: number) =>
  sqlite.prepare("select password_hash from users where id = ?").pluck().get(userId) as string | null;

describe("an invitation accepted twice", () => {
  it("joins once: the second acceptance finds it gone, and the link then reads as used", () => {
    const invited = invite();
    const firstAt = Date.now();
    expect(acceptInvitation(invited.invitationId, firstAt)).toBe("accepted");
    expect(acceptInvitation(invited.invitationId, firstAt + 1000)).toBe("gone");
    expect(memberRow(invited.memberId)?.joinedAt).toBe(firstAt);
    expect(lookupInvitation(invited.token)).toEqual({ state: "used", organizationName: "Acme" });
  });

  it("through emailed codes: the second acceptance rolls back whole, its code and its password included", () => {
    const invited = invite();
    // Two tabs, each with a code checked before either submits.
    const first = provenCode(invited.invitationId, invited.email);
    const second = provenCode(invited.invitationId, invited.email);
    expect(acceptWithProvenAddress(invited.invitationId, first, { passwordHash: "first", name: "Ada" })).toBe(
      "accepted",
    );
    expect(acceptWithProvenAddress(invited.invitationId, second, { passwordHash: "second", name: "Eve" })).toBe("gone");
    expect(acceptWithProvenAddress(invited.invitationId, first, { passwordHash: "again", name: "Eve" })).toBe(
      "codeUsed",
    );
    expect(passwordHashOf(invited.userId)).toBe("first");
    const usedAt = sqlite.prepare("select used_at from email_codes where id = ?").pluck();
    expect(usedAt.get(first)).not.toBeNull();
    expect(usedAt.get(second)).toBeNull();
  });
});

describe("an invitation revoked", () => {
  it("cannot be accepted afterwards: the member and the user made for it are gone, the link is unknown", () => {
    const invited = invite();
    expect(revokeInvitation(org.owner(), invited.invitationId)).toEqual({ ok: true, email: invited.email });
    expect(acceptInvitation(invited.invitationId)).toBe("gone");
    expect(memberRow(invited.memberId)).toBeNull();
    expect(sqlite.prepare("select 1 from users where id = ?").get(invited.userId)).toBeUndefined();
    expect(lookupInvitation(invited.token)).toEqual({ state: "unknown" });
  });

  it("once accepted, cannot be revoked: the member stays", () => {
    const invited = invite();
    expect(acceptInvitation(invited.invitationId)).toBe("accepted");
    expect(revokeInvitation(org.owner(), invited.invitationId)).toEqual({ ok: false, error: "notFound" });
    expect(memberRow(invited.memberId)?.joinedAt).not.toBeNull();
  });
});

describe("a renewed link", () => {
  it("kills the old one: only the new link is valid", () => {
    const invited = invite();
    const renewed = renewInvitation(org.owner(), invited.invitationId);
    if (!renewed.ok) throw new Error(renewed.error);
    expect(renewed.token).not.toBe(invited.token);
    expect(lookupInvitation(invited.token)).toEqual({ state: "unknown" });
    expect(lookupInvitation(renewed.token)).toMatchObject({ state: "valid", invitationId: invited.invitationId });
    expect(acceptInvitation(invited.invitationId)).toBe("accepted");
    expect(lookupInvitation(renewed.token)).toEqual({ state: "used", organizationName: "Acme" });
  });

  it("gives an expired invitation another 7 days from the renewal", () => {
    const invitedAt = Date.now();
    const invited = inviteMember(org.owner(), "late@example.com", [org.roles.member], invitedAt);
    if (!invited.ok) throw new Error(invited.error);
    const invitationId = sqlite.prepare("select max(id) from invitations").pluck().get() as number;
    const later = invitedAt + INVITATION_TTL_MS + DAY;
    expect(lookupInvitation(invited.token, later)).toEqual({ state: "expired", organizationName: "Acme" });
    expect(acceptInvitation(invitationId, later)).toBe("gone");
    const renewed = renewInvitation(org.owner(), invitationId, later);
    if (!renewed.ok) throw new Error(renewed.error);
    expect(lookupInvitation(renewed.token, later + INVITATION_TTL_MS - 1)).toMatchObject({ state: "valid" });
    expect(lookupInvitation(renewed.token, later + INVITATION_TTL_MS)).toMatchObject({ state: "expired" });
    expect(acceptInvitation(invitationId, later)).toBe("accepted");
  });

  it("cannot be taken by someone who lacks what the invitation grants", () => {
    const manager = addMember(org, [managers]);
    const invited = invite({ roles: [viewers] });
    expect(renewInvitation(manager.actor(), invited.invitationId)).toEqual({ ok: false, error: "outranked" });
    expect(revokeInvitation(manager.actor(), invited.invitationId)).toEqual({ ok: false, error: "outranked" });
    expect(lookupInvitation(invited.token)).toMatchObject({ state: "valid" });
  });
});

describe("an inviter who no longer holds what the invitation grants", () => {
  it("withdraws it: the link reads as withdrawn and acceptance is refused, until someone with the authority renews it", () => {
    const admin = addMember(org, [org.roles.admin]);
    const invited = invite({ invitedBy: admin, roles: [viewers] });
    expect(lookupInvitation(invited.token)).toMatchObject({ state: "valid" });

    expect(setMemberRoles(org.owner(), admin.memberId, [managers])).toEqual({ ok: true });
    expect(lookupInvitation(invited.token)).toEqual({ state: "withdrawn", organizationName: "Acme" });
    expect(acceptInvitation(invited.invitationId)).toBe("withdrawn");
    expect(memberRow(invited.memberId)?.joinedAt).toBeNull();

    const renewed = renewInvitation(org.owner(), invited.invitationId);
    if (!renewed.ok) throw new Error(renewed.error);
    expect(lookupInvitation(renewed.token)).toMatchObject({ state: "valid" });
    expect(acceptInvitation(invited.invitationId)).toBe("accepted");
  });

  it("withdraws it while the inviter is deactivated, and for good once they are removed", () => {
    const admin = addMember(org, [org.roles.admin]);
    const invited = invite({ invitedBy: admin });
    expect(deactivateMembers(org.owner(), [admin.memberId])).toEqual({ ok: true });
    expect(lookupInvitation(invited.token)).toMatchObject({ state: "withdrawn" });
    expect(reactivateMember(org.owner(), admin.memberId)).toEqual({ ok: true });
    expect(lookupInvitation(invited.token)).toMatchObject({ state: "valid" });
    expect(removeMember(org.owner(), admin.memberId)).toEqual({ ok: true });
    expect(lookupInvitation(invited.token)).toMatchObject({ state: "withdrawn" });
    expect(acceptInvitation(invited.invitationId)).toBe("withdrawn");
  });
});
