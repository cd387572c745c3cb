// In-process domain fixtures: organizations, roles, members and actors built through the app's own modules on the test
// file's database copy. The test file imports "../support/app-database" first (see there).
import type { Permission } from "~/auth/permissions";
import { db, sqlite } from "~/db/client.server";
import { writeTransaction } from "~/db/write.server";
import { type Actor, loadStandings } from "~/members/authority.server";
import { acceptInvitation, inviteMember } from "~/members/invitations.server";
import { deactivateMembers } from "~/members/members.server";
import { createRole } from "~/members/roles.server";
import { createOrganization } from "~/organizations/organizations.server";
import { insertUser } from "~/users/user-rows.server";
import { databasePath } from "./app-database";

// Had an app module been imported before app-database, the app would be on DATABASE_PATH's default, not the copy.
if (sqlite.name !== databasePath) {
  throw new Error(`the app opened ${sqlite.name}: import "../support/app-database" before any app module`);
}

let sequence = 0;
const unique = () => `${process.pid}-${++sequence}`;

/**
 * The member as the domain sees an actor: what the session helper's actorOf builds for a signed-in member (the owner
 * holds every permission, anyone else their roles' permissions).
 */
export function actorFor(memberId: number): Actor {
  const member = sqlite
    .prepare("select organization_id as organizationId, user_id as userId from members where id = ?")
    .get(memberId) as { organizationId: number; userId: number } | undefined;
  const standing = member && loadStandings(member.organizationId, [memberId]).get(memberId);
  if (!member || !standing) throw new Error(`no member ${memberId}`);
  return { ...member, memberId, isOwner: standing.isOwner, permissions: standing.permissions };
}

export interface TestOrganization {
  organizationId: number;
  ownerMemberId: number;
  /** The owner, acting. */
  owner: () => Actor;
  roles: { admin: number; member: number };
}

/** A new organization as "new organization" creates it, owned by a new user. */
export function newOrganization(name = "Acme"): TestOrganization {
  const ownerUserId = writeTransaction(() =>
    insertUser(db, {
      email: `owner-${unique()}@example.com`,
      name: "Olivia Owner",
      passwordHash: null,
      now: Date.now(),
    }),
  );
  const organization = createOrganization(ownerUserId, name);
  return {
    organizationId: organization.id,
    ownerMemberId: organization.ownerMemberId,
    owner: () => actorFor(organization.ownerMemberId),
    roles: organization.roleIds,
  };
}

/** A custom role created by the owner; returns its id. */
export function customRole(organization: TestOrganization, permissions: Permission[], name = `Role ${unique()}`) {
  const created = createRole(organization.owner(), name, permissions);
  if (!created.ok) throw new Error(`createRole: ${created.error}`);
  return sqlite
    .prepare("select id from roles where organization_id = ? and name = ?")
    .pluck()
    .get(organization.organizationId, name) as number;
}

export interface TestMember {
  memberId: number;
  userId: number;
  email: string;
  invitationId: number;
  /** The invitation link's token. */
  token: string;
  /** The member, acting. */
  actor: () => Actor;
}

/**
 * A member holding these roles, invited (by `invitedBy`, default the owner) and, unless `status` says otherwise,
 * accepted; "deactivated" is then deactivated by the owner.
 */
export function addMember(
  organization: TestOrganization,
  roleIds: number[],
  {
    status = "active",
    invitedBy = organization.owner(),
  }: { status?: "active" | "invited" | "deactivated"; invitedBy?: Actor } = {},
): TestMember {
  const email = `member-${unique()}@example.com`;
  const invited = inviteMember(invitedBy, email, roleIds);
  if (!invited.ok) throw new Error(`inviteMember: ${invited.error}`);
  const row = sqlite
    .prepare(
      `select i.id as invitationId, i.member_id as memberId, m.user_id as userId
       from invitations i join members m on m.id = i.member_id where i.email = ? and i.organization_id = ?`,
    )
    .get(email, organization.organizationId) as { invitationId: number; memberId: number; userId: number };
  if (status !== "invited" && acceptInvitation(row.invitationId) !== "accepted") throw new Error("acceptInvitation");
  if (status === "deactivated") {
    const deactivated = deactivateMembers(organization.owner(), [row.memberId]);
    if (!deactivated.ok) throw new Error(`deactivateMembers: ${deactivated.error}`);
  }
  return { ...row, email, token: invited.token, actor: () => actorFor(row.memberId) };
}

/** The ids of the roles a member holds, in order. */
export function roleIdsOf(memberId: number): number[] {
  return sqlite
    .prepare("select role_id from member_roles where member_id = ? order by role_id")
    .pluck()
    .all(memberId) as number[];
}

/** A member's row as stored (null once removed). */
export function memberRow(memberId: number) {
  return (
    (sqlite
      .prepare(
        "select id, is_owner as isOwner, joined_at as joinedAt, deactivated_at as deactivatedAt from members where id = ?",
      )
      .get(memberId) as { id: number; isOwner: number; joinedAt: number | null; deactivatedAt: number | null }) ?? null
  );
}

/** Everything the organization's membership is made of, to show that a refused change changed nothing. */
export function membershipSnapshot(organizationId: number): string {
  const rows = (query: string) => JSON.stringify(sqlite.prepare(query).all(organizationId));
  return [
    rows("select * from members where organization_id = ? order by id"),
    rows("select * from roles where organization_id = ? order by id"),
    rows("select * from invitations where organization_id = ? order by id"),
    rows(
      `select mr.* from member_roles mr join members m on m.id = mr.member_id
       where m.organization_id = ? order by mr.member_id, mr.role_id`,
    ),
  ].join("\n");
}
