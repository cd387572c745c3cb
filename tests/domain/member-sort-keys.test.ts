// The members list's sort keys (name_sort, email_sort, roles_sort on members) stay equal to their sources through every
// write the app makes, in the same transaction (docs/decisions/013-members-list-keyset.md).
import "../support/app-database";
import { beforeEach, describe, expect, it } from "vitest";
import { sqlite } from "~/db/client.server";
import { acceptInvitation, inviteMember } from "~/members/invitations.server";
import { setMemberRoles } from "~/members/members.server";
import { createRole, deleteRole, updateRole } from "~/members/roles.server";
import { updateUserName } from "~/users/users.server";
import { addMember, customRole, newOrganization, type TestOrganization } from "../support/domain";

interface Keys {
  id: number;
  name_sort: string;
  email_sort: string;
  roles_sort: string;
}

/** The keys as stored, beside the keys computed from their sources now. */
function storedAndComputed() {
  const stored = sqlite.prepare("select id, name_sort, email_sort, roles_sort from members order by id").all();
  const computed = sqlite
    .prepare(
      `select m.id, lower(u.name) as name_sort, u.email as email_sort,
         coalesce((select group_concat(name, ', ') from (select r.name from member_roles mr join roles r on r.id = mr.role_id
           where mr.member_id = m.id order by r.name)), '') as roles_sort
       from members m join users u on u.id = m.user_id order by m.id`,
    )
    .all();
  return { stored, computed };
}

function keysOf(memberId: number): Keys {
  return sqlite.prepare("select id, name_sort, email_sort, roles_sort from members where id = ?").get(memberId) as Keys;
}

let org: TestOrganization;

beforeEach(() => {
  org = newOrganization();
});

describe("members' sort keys", () => {
  it("are set when a member is invited and follow the name given on acceptance", () => {
    const hr = customRole(org, ["activity.view"], "HR");
    const invited = addMember(org, [org.roles.member, hr], { status: "invited" });
    expect(keysOf(invited.memberId)).toMatchObject({
      name_sort: "",
      email_sort: invited.email,
      roles_sort: "HR, Member",
    });
    updateUserName(invited.userId, "Zoë Zed");
    expect(keysOf(invited.memberId).name_sort).toBe("zoë zed");
    expect(acceptInvitation(invited.invitationId)).toBe("accepted");
    const { stored, computed } = storedAndComputed();
    expect(stored).toEqual(computed);
  });

  it("follow a user's rename into every organization they belong to", () => {
    const other = newOrganization("Beta");
    const member = addMember(org, [org.roles.member]);
    const invited = inviteMember(other.owner(), member.email, [other.roles.admin]);
    expect(invited.ok).toBe(true);
    updateUserName(member.userId, "Ada Lovelace");
    const rows = sqlite.prepare("select name_sort from members where user_id = ?").pluck().all(member.userId);
    expect(rows).toEqual(["ada lovelace", "ada lovelace"]);
  });

  it("follow role changes, a role's rename and a role's deletion with reassignment", () => {
    const hr = customRole(org, ["activity.view"], "HR");
    const member = addMember(org, [org.roles.member]);
    const other = addMember(org, [hr]);
    expect(setMemberRoles(org.owner(), member.memberId, [hr, org.roles.admin]).ok).toBe(true);
    expect(keysOf(member.memberId).roles_sort).toBe("Admin, HR");
    expect(updateRole(org.owner(), hr, "Auditors", ["activity.view"]).ok).toBe(true);
    expect(keysOf(member.memberId).roles_sort).toBe("Admin, Auditors");
    expect(keysOf(other.memberId).roles_sort).toBe("Auditors");
    expect(createRole(org.owner(), "Temp", []).ok).toBe(true);
    expect(deleteRole(org.owner(), hr, org.roles.member).ok).toBe(true);
    expect(keysOf(member.memberId).roles_sort).toBe("Admin, Member");
    expect(keysOf(other.memberId).roles_sort).toBe("Member");
    const { stored, computed } = storedAndComputed();
    expect(stored).toEqual(computed);
  });

  it("are not left behind by a refused change (one transaction)", () => {
    const member = addMember(org, [org.roles.member]);
    const before = keysOf(member.memberId);
    expect(setMemberRoles(org.owner(), member.memberId, [999_999])).toEqual({ ok: false, error: "unknownRole" });
    expect(() =>
      sqlite.transaction(() => {
        sqlite.prepare("update users set name = 'Rolled Back' where id = ?").run(member.userId);
        throw new Error("roll back");
      })(),
    ).toThrow("roll back");
    expect(keysOf(member.memberId)).toEqual(before);
  });
});
