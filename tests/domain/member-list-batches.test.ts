// The CSV export reads the members list in keyset batches (memberBatchReader): concatenated, the batches must be
// exactly the list as the page orders it, for every sort both ways and every filter, ties and never-active included.
import "../support/app-database";
import { beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "~/db/client.server";
import { DAY } from "~/lib/time";
import { memberBatchReader, memberPage } from "~/members/member-list.server";
import { type MemberQuery, SORT_COLUMNS, STATUS_FILTERS } from "~/members/member-query";
import { addMember, customRole, newOrganization, type TestOrganization } from "../support/domain";

const NOW = Date.now();

/** The list as the page orders it, all of it on one page. */
const listAsPaged = (query: MemberQuery) =>
  memberPage(org.organizationId, query, { now: NOW, pageSize: 1_000 }).members;
let org: TestOrganization;

beforeAll(() => {
  org = newOrganization();
  const hr = customRole(org, ["activity.view"]);
  const update = sqlite.prepare("update members set last_active_at = ?, deactivated_at = ? where id = ?");
  const rename = sqlite.prepare("update users set name = ? where id = ?");
  for (let index = 0; index < 60; index += 1) {
    const member = addMember(org, index % 5 === 0 ? [org.roles.member, hr] : [org.roles.member]);
    // Few distinct values, so sort values tie across batch boundaries; a tenth never active, some deactivated.
    const lastActive = index % 10 === 0 ? null : NOW - (index % 4) * 50 * DAY;
    update.run(lastActive, index % 13 === 0 ? NOW : null, member.memberId);
    rename.run(["Ann", "bob", "Bob", "Cy"][index % 4], member.userId);
  }
});

function inBatches(query: MemberQuery, size: number): number[] {
  const ids: number[] = [];
  const next = memberBatchReader(org.organizationId, query, NOW);
  for (;;) {
    const batch = next(size);
    ids.push(...batch.members.map((member) => member.id));
    if (batch.done) return ids;
  }
}

describe("the members list read in keyset batches", () => {
  it("is the page's order, every member exactly once, for every sort, direction and filter", () => {
    for (const sort of SORT_COLUMNS) {
      for (const dir of ["asc", "desc"] as const) {
        for (const status of STATUS_FILTERS) {
          const query: MemberQuery = { q: "", status, sort, dir, page: 1 };
          const expected = listAsPaged(query).map((member) => member.id);
          expect(inBatches(query, 7), `${sort} ${dir} ${status}`).toEqual(expected);
        }
      }
    }
    const searched: MemberQuery = { q: "bob", status: "all", sort: "name", dir: "asc", page: 1 };
    expect(inBatches(searched, 4)).toEqual(listAsPaged(searched).map((m) => m.id));
  });
});

describe("an export's batch reader", () => {
  it("gives the page's order for every sort, keyset or not, and skips a member removed between batches", () => {
    for (const sort of SORT_COLUMNS) {
      for (const dir of ["asc", "desc"] as const) {
        const query: MemberQuery = { q: "", status: "all", sort, dir, page: 1 };
        const expected = listAsPaged(query).map((member) => member.id);
        const next = memberBatchReader(org.organizationId, query, NOW);
        const ids: number[] = [];
        for (let batch = next(9); ; batch = next(9)) {
          ids.push(...batch.members.map((member) => member.id));
          if (batch.done) break;
        }
        expect(ids, `${sort} ${dir}`).toEqual(expected);
      }
    }
    const byName: MemberQuery = { q: "", status: "all", sort: "name", dir: "asc", page: 1 };
    const expected = listAsPaged(byName).map((member) => member.id);
    const removed = expected.at(-5) as number;
    const next = memberBatchReader(org.organizationId, byName, NOW);
    const ids = next(10).members.map((member) => member.id);
    sqlite.prepare("delete from members where id = ?").run(removed);
    for (let batch = next(10); ; batch = next(10)) {
      ids.push(...batch.members.map((member) => member.id));
      if (batch.done) break;
    }
    expect(ids).toEqual(expected.filter((id) => id !== removed));
  });
});
