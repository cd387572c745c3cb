// Choosing dormant accounts to deactivate, in process: it reveals activity, so it needs activity.view; it picks the
// members dormant at the time the page counted them, never the owner nor the one acting.
import "../support/app-database";
import { beforeEach, describe, expect, it } from "vitest";
import { sqlite } from "~/db/client.server";
import { DAY } from "~/lib/time";
import { dormantMembersFor } from "~/members/member-list.server";
import { addMember, customRole, newOrganization, type TestMember, type TestOrganization } from "../support/domain";

const asOf = Date.UTC(2026, 5, 1);

/** The ids picked, in id order (the query promises no order). */
function picked(...args: Parameters<typeof dormantMembersFor>) {
  const result = dormantMembersFor(...args);
  return result.ok ? [...result.memberIds].sort((a, b) => a - b) : result.error;
}

function lastActive(memberId: number, at: number) {
  sqlite.prepare("update members set last_active_at = ? where id = ?").run(at, memberId);
}

let org: TestOrganization;
let admin: TestMember;
let manager: TestMember;

beforeEach(() => {
  org = newOrganization();
  admin = addMember(org, [org.roles.admin]);
  manager = addMember(org, [customRole(org, ["members.manage"])]);
});

describe("choosing dormant accounts", () => {
  it("needs activity.view: a manage-only member may not pick members by their activity", () => {
    expect(picked(manager.actor(), asOf)).toBe("permission");
    expect(picked(admin.actor(), asOf)).toEqual([]);
    expect(picked(org.owner(), asOf)).toEqual([]);
  });

  it("picks members inactive 90+ days as of the given time, never the owner nor the actor", () => {
    const dormant = addMember(org, [org.roles.member]);
    const crossedSince = addMember(org, [org.roles.member]);
    lastActive(dormant.memberId, asOf - 120 * DAY);
    lastActive(crossedSince.memberId, asOf - 89 * DAY);
    lastActive(org.ownerMemberId, asOf - 400 * DAY);
    lastActive(admin.memberId, asOf - 400 * DAY);
    lastActive(manager.memberId, asOf - DAY);

    expect(picked(admin.actor(), asOf)).toEqual([dormant.memberId]);
    expect(picked(org.owner(), asOf)).toEqual([admin.memberId, dormant.memberId].sort((a, b) => a - b));
    expect(picked(org.owner(), asOf + 2 * DAY)).toEqual(
      [admin.memberId, dormant.memberId, crossedSince.memberId].sort((a, b) => a - b),
    );
  });
});
