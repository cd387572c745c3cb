// Property test of the authority rule: generated organizations, roles, actors and actions, run through the app's own
// domain modules on a real SQLite file; after every accepted action nobody holds access the actor lacks and nobody who
// held more than the actor lost any, and a refused action changes nothing.
import "../support/app-database";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Permission } from "~/auth/permissions";
import { sqlite } from "~/db/client.server";
import { type Actor, EVERY_PERMISSION } from "~/members/authority.server";
import { acceptInvitation, inviteMember, renewInvitation, revokeInvitation } from "~/members/invitations.server";
import { deactivateMembers, reactivateMember, removeMember, setMemberRoles } from "~/members/members.server";
import { createRole, deleteRole, updateRole } from "~/members/roles.server";
import { newOrganization } from "../support/domain";

const PERMISSION_SETS: Permission[][] = [
  [],
  ["members.manage"],
  ["activity.view"],
  ["members.manage", "activity.view"],
];

// ── The world as the database holds it ──────────────────────────────────────────────────────────────────────────

interface MemberState {
  userId: number;
  isOwner: boolean;
  status: "active" | "invited" | "deactivated";
  /** What their roles give (the owner: everything), whatever their status. */
  standing: Set<Permission>;
}

interface World {
  members: Map<number, MemberState>;
  invitations: Map<
    number,
    { memberId: number; tokenHash: string; invitedBy: number | null; acceptedAt: number | null }
  >;
  rows: string;
}

function readWorld(organizationId: number): World {
  const members = new Map<number, MemberState>();
  const rows = sqlite
    .prepare(
      `select m.id, m.user_id as userId, m.is_owner as isOwner, m.joined_at as joinedAt,
              m.deactivated_at as deactivatedAt,
              (select json_group_array(r.permissions) from member_roles mr join roles r on r.id = mr.role_id
                where mr.member_id = m.id) as permissions
       from members m where m.organization_id = ? order by m.id`,
    )
    .all(organizationId) as {
    id: number;
    userId: number;
    isOwner: number;
    joinedAt: number | null;
    deactivatedAt: number | null;
    permissions: string;
  }[];
  for (const row of rows) {
    const lists = (JSON.parse(row.permissions) as string[]).map((list) => JSON.parse(list) as Permission[]);
    members.set(row.id, {
      userId: row.userId,
      isOwner: row.isOwner === 1,
      status: row.deactivatedAt !== null ? "deactivated" : row.joinedAt === null ? "invited" : "active",
      standing: row.isOwner === 1 ? new Set(EVERY_PERMISSION) : new Set(lists.flat()),
    });
  }
  const invitations = new Map<number, World["invitations"] extends Map<number, infer V> ? V : never>();
  const invitationRows = sqlite
    .prepare(
      `select id, member_id as memberId, token_hash as tokenHash, invited_by_user_id as invitedBy,
              accepted_at as acceptedAt from invitations where organization_id = ? order by id`,
    )
    .all(organizationId) as ({ id: number } & (typeof invitations extends Map<number, infer V> ? V : never))[];
  for (const { id, ...invitation } of invitationRows) invitations.set(id, invitation);
  const fingerprint = ["members", "roles", "invitations"]
    .map((table) =>
      JSON.stringify(
        sqlite.prepare(`select * from ${table} where organization_id = ? order by id`).all(organizationId),
      ),
    )
    .join("\n");
  const memberRoles = JSON.stringify(
    sqlite
      .prepare(
        `select mr.* from member_roles mr join members m on m.id = mr.member_id
         where m.organization_id = ? order by 1, 2`,
      )
      .all(organizationId),
  );
  return { members, invitations, rows: `${fingerprint}\n${memberRoles}` };
}

const effective = (member: MemberState | undefined) =>
  member?.status === "active" ? member.standing : new Set<Permission>();
const subset = (a: Iterable<Permission>, b: ReadonlySet<Permission>) => [...a].every((p) => b.has(p));
const minus = (a: ReadonlySet<Permission>, b: ReadonlySet<Permission>) => [...a].filter((p) => !b.has(p));

/** The invariant for an accepted action by `actor` (holding `held`), comparing the world before and after. */
function checkInvariant(
  actor: { memberId: number; isOwner: boolean },
  held: ReadonlySet<Permission>,
  before: World,
  after: World,
) {
  for (const [id, was] of before.members) {
    if (!was.isOwner) continue;
    // The owner is never deactivated, removed or stripped, by anyone.
    expect(after.members.get(id)?.status, "owner stays active").toBe("active");
    expect(after.members.get(id)?.isOwner).toBe(true);
  }
  if (actor.isOwner) return;
  const ids = new Set([...before.members.keys(), ...after.members.keys()]);
  for (const id of ids) {
    const was = before.members.get(id);
    const now = after.members.get(id);
    const gained = [
      ...minus(effective(now), effective(was)),
      ...minus(now?.standing ?? new Set(), was?.standing ?? new Set()),
    ];
    expect(subset(gained, held), `member ${id} gained ${gained} beyond the actor's ${[...held]}`).toBe(true);
    const lostSomething =
      minus(effective(was), effective(now)).length > 0 ||
      minus(was?.standing ?? new Set(), now?.standing ?? new Set()).length > 0 ||
      (was !== undefined && now === undefined) ||
      (was?.status !== "deactivated" && now?.status === "deactivated");
    if (lostSomething && was) {
      expect(was.isOwner, `the owner lost access to a non-owner`).toBe(false);
      expect(subset(was.standing, held), `member ${id} held more than the actor and lost access`).toBe(true);
    }
  }
  // Reissuing or withdrawing an invitation acts on what it grants.
  for (const [id, invitation] of before.invitations) {
    const now = after.invitations.get(id);
    const touched = !now || now.tokenHash !== invitation.tokenHash;
    if (touched && invitation.acceptedAt === null) {
      const standing = before.members.get(invitation.memberId)?.standing ?? new Set();
      expect(subset(standing, held), `invitation ${id} granting more than the actor was reissued or revoked`).toBe(
        true,
      );
    }
  }
}

// ── Generated scenarios ─────────────────────────────────────────────────────────────────────────────────────────

const pick = fc.nat({ max: 1_000 });
const permissionSet = fc.constantFrom(...PERMISSION_SETS);
const roleChoice = fc.uniqueArray(pick, { minLength: 1, maxLength: 3 });

const action = fc.oneof(
  fc.record({ kind: fc.constant("setRoles" as const), actor: pick, target: pick, roles: roleChoice }),
  fc.record({
    kind: fc.constant("deactivate" as const),
    actor: pick,
    targets: fc.uniqueArray(pick, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant("reactivate" as const), actor: pick, target: pick }),
  fc.record({ kind: fc.constant("remove" as const), actor: pick, target: pick }),
  fc.record({ kind: fc.constant("createRole" as const), actor: pick, permissions: permissionSet }),
  fc.record({ kind: fc.constant("updateRole" as const), actor: pick, role: pick, permissions: permissionSet }),
  fc.record({ kind: fc.constant("deleteRole" as const), actor: pick, role: pick, reassignTo: pick }),
  fc.record({ kind: fc.constant("invite" as const), actor: pick, roles: roleChoice }),
  fc.record({ kind: fc.constant("renew" as const), actor: pick, invitation: pick }),
  fc.record({ kind: fc.constant("revoke" as const), actor: pick, invitation: pick }),
  fc.record({ kind: fc.constant("accept" as const), invitation: pick }),
);

const scenario = fc.record({
  customRoles: fc.array(permissionSet, { maxLength: 2 }),
  members: fc.array(
    fc.record({ roles: roleChoice, status: fc.constantFrom("active", "active", "invited", "deactivated") }),
    { minLength: 2, maxLength: 7 },
  ),
  actions: fc.array(action, { minLength: 1, maxLength: 12 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

let sequence = 0;
const unique = () => `${process.pid}-${++sequence}`;
const tally = { accepted: 0, refused: 0, acceptedByNonOwner: 0, refusedByNonOwner: 0 };

function roleIds(organizationId: number): number[] {
  return sqlite
    .prepare("select id from roles where organization_id = ? order by id")
    .pluck()
    .all(organizationId) as number[];
}

function actorFor(organizationId: number, memberId: number): Actor {
  const member = readWorld(organizationId).members.get(memberId);
  if (!member) throw new Error("no such member");
  return { organizationId, memberId, userId: member.userId, isOwner: member.isOwner, permissions: member.standing };
}

/** Builds the organization through the domain modules themselves, acting as its owner. */
function buildOrganization(input: Scenario) {
  const { organizationId, ownerMemberId } = newOrganization("Generated");
  const owner = () => actorFor(organizationId, ownerMemberId);
  // A managers-only and a viewers-only role in every organization: the mixes where authority is most often partial.
  const customRoles: Permission[][] = [["members.manage"], ["activity.view"], ...input.customRoles];
  for (const [index, permissions] of customRoles.entries()) {
    expect(createRole(owner(), `Custom ${index}`, permissions).ok).toBe(true);
  }
  const roles = roleIds(organizationId);
  for (const member of input.members) {
    const chosen = member.roles.map((index) => roles[index % roles.length] as number);
    const invited = inviteMember(owner(), `member-${unique()}@example.com`, chosen);
    if (!invited.ok) throw new Error(invited.error);
    if (member.status === "invited") continue;
    const invitationId = sqlite.prepare("select max(id) from invitations").pluck().get() as number;
    expect(acceptInvitation(invitationId)).toBe("accepted");
    if (member.status === "deactivated") {
      const memberId = sqlite.prepare("select member_id from invitations where id = ?").pluck().get(invitationId);
      expect(deactivateMembers(owner(), [memberId as number]).ok).toBe(true);
    }
  }
  return organizationId;
}

type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Runs one action; returns whether the domain accepted it, and who acted. */
function run(organizationId: number, step: Action, world: World) {
  const memberIds = [...world.members.keys()];
  const active = memberIds.filter((id) => world.members.get(id)?.status === "active");
  const invitationIds = [...world.invitations.keys()];
  const roles = roleIds(organizationId);
  const at = <T>(list: T[], index: number) => list[index % list.length] as T;
  if (step.kind === "accept") {
    if (invitationIds.length === 0) return null;
    const invitationId = at(invitationIds, step.invitation);
    const invitation = world.invitations.get(invitationId);
    const inviter = [...world.members.entries()].find(
      ([, member]) => member.userId === invitation?.invitedBy && member.status === "active",
    );
    const result = acceptInvitation(invitationId);
    if (result === "accepted") {
      // The invitee may only gain what its inviter holds at the moment of acceptance.
      const invitee = world.members.get(invitation?.memberId ?? -1);
      expect(inviter, "an invitation is accepted only while its inviter is an active member").toBeDefined();
      expect(subset(invitee?.standing ?? [], inviter?.[1].standing ?? new Set())).toBe(true);
    }
    return { ok: result === "accepted", actor: null };
  }
  // Mostly non-owners: the owner may do anything, so the rule is tested by everyone else.
  const nonOwners = active.filter((id) => !world.members.get(id)?.isOwner);
  const actor = actorFor(
    organizationId,
    nonOwners.length > 0 && step.actor % 5 !== 0 ? at(nonOwners, step.actor) : at(active, step.actor),
  );
  const member = (index: number) => at(memberIds, index);
  const role = (index: number) => at(roles, index);
  let ok: boolean;
  switch (step.kind) {
    case "setRoles":
      ok = setMemberRoles(actor, member(step.target), step.roles.map(role)).ok;
      break;
    case "deactivate":
      ok = deactivateMembers(actor, step.targets.map(member)).ok;
      break;
    case "reactivate":
      ok = reactivateMember(actor, member(step.target)).ok;
      break;
    case "remove":
      ok = removeMember(actor, member(step.target)).ok;
      break;
    case "createRole":
      ok = createRole(actor, `Role ${unique()}`, step.permissions).ok;
      break;
    case "updateRole":
      ok = updateRole(actor, role(step.role), `Renamed ${unique()}`, step.permissions).ok;
      break;
    case "deleteRole":
      ok = deleteRole(actor, role(step.role), role(step.reassignTo)).ok;
      break;
    case "invite":
      ok = inviteMember(actor, `invitee-${unique()}@example.com`, step.roles.map(role)).ok;
      break;
    case "renew":
      if (invitationIds.length === 0) return null;
      ok = renewInvitation(actor, at(invitationIds, step.invitation)).ok;
      break;
    case "revoke":
      if (invitationIds.length === 0) return null;
      ok = revokeInvitation(actor, at(invitationIds, step.invitation)).ok;
      break;
  }
  return { ok, actor };
}

describe("the authority rule, for generated organizations and actions", () => {
  it("never leaves anyone with access the actor lacks, never strips anyone who holds more, and refusals change nothing", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const organizationId = buildOrganization(input);
        for (const step of input.actions) {
          const before = readWorld(organizationId);
          const outcome = run(organizationId, step, before);
          if (!outcome) continue;
          const after = readWorld(organizationId);
          const { actor } = outcome;
          if (!outcome.ok) {
            expect(after.rows, `a refused ${step.kind} changed nothing`).toBe(before.rows);
            tally.refused += 1;
            if (actor && !actor.isOwner) tally.refusedByNonOwner += 1;
            continue;
          }
          tally.accepted += 1;
          if (actor) {
            if (!actor.isOwner) tally.acceptedByNonOwner += 1;
            checkInvariant(actor, actor.permissions, before, after);
          }
        }
      }),
      { numRuns: 400 },
    );
    // The property would hold trivially if everything were refused: the generated actions must exercise both sides.
    expect(tally.acceptedByNonOwner).toBeGreaterThan(50);
    expect(tally.refusedByNonOwner).toBeGreaterThan(50);
  });
});
