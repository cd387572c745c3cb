// Writes a member row and its roles on the connection it is given: the app's (inside its write transaction, after its
// authority checks) or a test's or the bench's. No rule is checked here: callers decide who may be added.
import type { Db } from "~/db/open.server";
import { memberRoles, members } from "~/db/schema";

export interface NewMember {
  organizationId: number;
  userId: number;
  roleIds: readonly number[];
  now: number;
  /** When the member joined; null while invited (an invitation not accepted yet). */
  joinedAt: number | null;
  isOwner?: boolean;
  lastSignInAt?: number | null;
}

/** Inserts a member of the organization holding these roles; returns its id. */
export function insertMember(db: Db, member: NewMember): number {
  const { id } = db
    .insert(members)
    .values({
      organizationId: member.organizationId,
      userId: member.userId,
      isOwner: member.isOwner ?? false,
      createdAt: member.now,
      joinedAt: member.joinedAt,
      lastSignInAt: member.lastSignInAt ?? null,
    })
    .returning({ id: members.id })
    .get();
  if (member.roleIds.length > 0) {
    db.insert(memberRoles)
      .values(member.roleIds.map((roleId) => ({ memberId: id, roleId })))
      .run();
  }
  return id;
}
