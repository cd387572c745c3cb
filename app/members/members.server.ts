// Member queries and the rules for changing them: roles, deactivation, reactivation, removal — always within one organization.
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { memberAuditLabel, recordAudit } from "~/audit/audit-log.server";
import { db } from "~/db/client.server";
import { invitations, memberRoles, members, users } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import {
  type Actor,
  canManageMembers,
  chunks,
  loadStandings,
  mayChange,
  type Standing,
  standingFrom,
  within,
} from "./authority.server";
import { findRoles, memberRoleNames, permissionList, roleNames } from "./roles.server";
import type { MemberStatus, RoleRef } from "./types";

export type { Actor } from "./authority.server";

export type { MemberStatus, RoleRef } from "./types";

export function memberStatus(member: { joinedAt: number | null; deactivatedAt: number | null }): MemberStatus {
  if (member.deactivatedAt !== null) return "deactivated";
  return member.joinedAt === null ? "invited" : "active";
}

/** SQL: the member has accepted and is not deactivated (mirrors isActiveMember on a loaded session). */
export const isActiveMembership = and(isNotNull(members.joinedAt), isNull(members.deactivatedAt));

/** A member's roles as a JSON array of RoleRef (with permissions), by name (a correlated subquery on `members`). */
export const roleList = sql<string>`(
  select json_group_array(json_object('id', r.id, 'name', r.name, 'builtin', r.builtin, 'permissions', json(r.permissions)))
  from (select r.id, r.name, r.builtin, r.permissions from member_roles mr join roles r on r.id = mr.role_id
        where mr.member_id = ${members.id} order by r.name) r)`;

/** Active members' names and roles for the directory: no emails, no activity. */
export function listDirectory(organizationId: number) {
  return db
    .select({ id: members.id, name: users.name, isOwner: members.isOwner, roles: roleList })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), isActiveMembership))
    .orderBy(asc(users.name))
    .all()
    .map((row) => ({ ...row, roles: JSON.parse(row.roles) as RoleRef[] }));
}

export type MemberChangeError =
  | "permission"
  | "notFound"
  | "ownerProtected"
  | "self"
  | "noRoles"
  | "unknownRole"
  | "cannotGrant"
  | "outranked";
export type MemberChangeResult = { ok: true } | { ok: false; error: MemberChangeError };

const refuse = (error: MemberChangeError): MemberChangeResult => ({ ok: false, error });

/** Why `mayChange` said no: the actor would give access they lack, or the member already holds more than the actor. */
function refusal(actor: Actor, before: Standing): MemberChangeResult {
  return refuse(
    before.isOwner ? "ownerProtected" : within(before.permissions, actor.permissions) ? "cannotGrant" : "outranked",
  );
}

/**
 * Replaces a member's roles (an invited member's too: what they get on accepting, and the actor becomes the
 * invitation's inviter). The actor must hold every permission the member has now and every one the new roles give
 * (docs/decisions/009-one-authority-rule.md).
 */
export function setMemberRoles(actor: Actor, memberId: number, roleIds: number[]): MemberChangeResult {
  if (!canManageMembers(actor)) return refuse("permission");
  const unique = [...new Set(roleIds)];
  if (unique.length === 0) return refuse("noRoles");
  return writeTransaction(() => {
    const target = loadStandings(actor.organizationId, [memberId]).get(memberId);
    if (!target) return refuse("notFound");
    if (target.isOwner && !actor.isOwner) return refuse("ownerProtected");
    const found = findRoles(actor.organizationId, unique);
    if (!found) return refuse("unknownRole");
    const after = standingFrom(
      target.isOwner,
      found.map((role) => role.permissions),
    );
    if (!mayChange(actor, target, after)) return refusal(actor, target);
    const rolesBefore = memberRoleNames(memberId);
    const rolesAfter = roleNames(actor.organizationId, unique);
    db.delete(memberRoles).where(eq(memberRoles.memberId, memberId)).run();
    db.insert(memberRoles)
      .values(unique.map((roleId) => ({ memberId, roleId })))
      .run();
    // A pending invitation now grants what the actor chose: it carries the actor's authority from here on.
    db.update(invitations)
      .set({ invitedByUserId: actor.userId })
      .where(and(eq(invitations.memberId, memberId), isNull(invitations.acceptedAt)))
      .run();
    if (rolesBefore.join("\n") !== rolesAfter.join("\n")) {
      recordAudit({
        organizationId: actor.organizationId,
        actor,
        action: "member.roles_changed",
        target: { type: "member", id: memberId, label: memberAuditLabel(actor.organizationId, memberId) },
        change: {
          roles: { before: rolesBefore, after: rolesAfter },
          permissions: { before: permissionList(target.permissions), after: permissionList(after.permissions) },
        },
      });
    }
    return { ok: true };
  });
}

/**
 * Checks that the actor may take these members' access away (or give it back): each is in the organization, is not
 * the owner nor the actor, and holds nothing the actor lacks.
 */
function checkStatusChange(actor: Actor, memberIds: readonly number[]): MemberChangeResult {
  if (!canManageMembers(actor)) return refuse("permission");
  const standings = loadStandings(actor.organizationId, memberIds);
  for (const memberId of memberIds) {
    const target = standings.get(memberId);
    if (!target) return refuse("notFound");
    if (target.isOwner) return refuse("ownerProtected");
    if (memberId === actor.memberId) return refuse("self");
    if (!mayChange(actor, target)) return refusal(actor, target);
  }
  return { ok: true };
}

/** How a deactivation was asked for, as its audit entries record it: one member's row, a selection, or all dormant. */
export type DeactivationKind = "one" | "selected" | "dormant";

/** A member's status change as an audit entry records it (one entry per member whose status actually changed). */
function statusEntry(
  actor: Actor,
  action: "member.deactivated" | "member.reactivated",
  member: { id: number; joinedAt: number | null },
  change: { before: MemberStatus; after: MemberStatus; kind?: DeactivationKind },
  at: number,
) {
  const { kind, ...status } = change;
  return {
    organizationId: actor.organizationId,
    actor,
    action,
    target: { type: "member" as const, id: member.id, label: memberAuditLabel(actor.organizationId, member.id) },
    change: kind ? { status, kind } : { status },
    at,
  };
}

/**
 * Deactivates members, all or none; their sessions in this organization stop working on the next request. Members
 * already deactivated are left as they are (and get no audit entry).
 */
export function deactivateMembers(
  actor: Actor,
  memberIds: number[],
  kind: DeactivationKind = "selected",
  now = Date.now(),
): MemberChangeResult {
  const unique = [...new Set(memberIds)];
  return writeTransaction(() => {
    const check = checkStatusChange(actor, unique);
    if (!check.ok) return check;
    for (const slice of chunks(unique)) {
      const changed = db
        .update(members)
        .set({ deactivatedAt: now })
        .where(
          and(
            eq(members.organizationId, actor.organizationId),
            inArray(members.id, slice),
            isNull(members.deactivatedAt),
          ),
        )
        .returning({ id: members.id, joinedAt: members.joinedAt })
        .all();
      recordAudit(
        ...changed.map((member) =>
          statusEntry(
            actor,
            "member.deactivated",
            member,
            { before: memberStatus({ joinedAt: member.joinedAt, deactivatedAt: null }), after: "deactivated", kind },
            now,
          ),
        ),
      );
    }
    return check;
  });
}

/**
 * Gives a deactivated member their access back (the roles they had), and restarts their dormant-account clock: the
 * policy's next sweep does not catch them again (docs/decisions/017-dormant-policy.md).
 */
export function reactivateMember(actor: Actor, memberId: number, now = Date.now()): MemberChangeResult {
  return writeTransaction(() => {
    const check = checkStatusChange(actor, [memberId]);
    if (!check.ok) return check;
    const changed = db
      .update(members)
      .set({ deactivatedAt: null, reactivatedAt: now })
      .where(and(eq(members.id, memberId), isNotNull(members.deactivatedAt)))
      .returning({ id: members.id, joinedAt: members.joinedAt })
      .get();
    if (changed) {
      const after = memberStatus({ joinedAt: changed.joinedAt, deactivatedAt: null });
      recordAudit(statusEntry(actor, "member.reactivated", changed, { before: "deactivated", after }, now));
    }
    return check;
  });
}

/** Removes a member from the organization (their roles and invitation go with it; the user account stays). */
export function removeMember(actor: Actor, memberId: number): MemberChangeResult {
  return writeTransaction(() => {
    const check = checkStatusChange(actor, [memberId]);
    if (!check.ok) return check;
    const member = db
      .select({ joinedAt: members.joinedAt, deactivatedAt: members.deactivatedAt })
      .from(members)
      .where(eq(members.id, memberId))
      .get();
    const label = memberAuditLabel(actor.organizationId, memberId);
    const rolesBefore = memberRoleNames(memberId);
    db.delete(members).where(eq(members.id, memberId)).run();
    recordAudit({
      organizationId: actor.organizationId,
      actor,
      action: "member.removed",
      target: { type: "member", id: memberId, label },
      change: {
        status: { before: member ? memberStatus(member) : null, after: "removed" },
        roles: { before: rolesBefore, after: [] },
      },
    });
    return check;
  });
}
