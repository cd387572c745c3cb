// Seeds members (and signed-in sessions for them) straight into a Roster database, for tests and the benchmark.
import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type Database from "better-sqlite3";

export interface SeededMember {
  memberId: number;
  userId: number;
  email: string;
}

export interface SignedInMember extends SeededMember {
  /** The value for a `Cookie` request header, signed like the app's own session cookie. */
  cookie: string;
}

/** An organization with the built-in roles, as setup would create it; returns its id. */
export function insertOrganization(sqlite: Database.Database, name = "Acme", now = Date.now()): number {
  const { lastInsertRowid } = sqlite
    .prepare("INSERT INTO organizations (name, created_at) VALUES (?, ?)")
    .run(name, now);
  const insertRole = sqlite.prepare(
    "INSERT INTO roles (organization_id, name, builtin, permissions, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  insertRole.run(lastInsertRowid, "Admin", "admin", '["members.manage","activity.view"]', now);
  insertRole.run(lastInsertRowid, "Member", "member", "[]", now);
  return Number(lastInsertRowid);
}

/** Active members (joined, not deactivated, never active) holding the built-in Member role. */
export function insertMembers(
  sqlite: Database.Database,
  {
    organizationId,
    count,
    now = Date.now(),
    label = randomBytes(4).toString("hex"),
  }: {
    organizationId: number;
    count: number;
    now?: number;
    label?: string;
  },
): SeededMember[] {
  const insertUser = sqlite.prepare(
    "INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, NULL, ?)",
  );
  const insertMember = sqlite.prepare(
    "INSERT INTO members (organization_id, user_id, is_owner, created_at, joined_at) VALUES (?, ?, 0, ?, ?)",
  );
  const memberRole = sqlite
    .prepare("SELECT id FROM roles WHERE organization_id = ? AND builtin = 'member'")
    .pluck()
    .get(organizationId);
  const insertMemberRole = sqlite.prepare("INSERT INTO member_roles (member_id, role_id) VALUES (?, ?)");
  return sqlite.transaction(() =>
    Array.from({ length: count }, (_, index) => {
      const email = `member-${label}-${index}@example.com`;
      const userId = Number(insertUser.run(email, `Member ${label} ${index}`, now).lastInsertRowid);
      const memberId = Number(insertMember.run(organizationId, userId, now, now).lastInsertRowid);
      if (memberRole !== undefined) insertMemberRole.run(memberId, memberRole);
      return { memberId, userId, email };
    }),
  )();
}

/** Starts a session for each member in their organization, the way createSession stores it. */
export async function signInMembers(
  sqlite: Database.Database,
  members: SeededMember[],
  { secret, now = Date.now() }: { secret: string; now?: number },
): Promise<SignedInMember[]> {
  const cookie = createCookie("__session", { secrets: [secret] });
  const insertSession = sqlite.prepare(
    "INSERT INTO sessions (id, user_id, organization_id, created_at, expires_at) " +
      "SELECT ?, user_id, organization_id, ?, ? FROM members WHERE id = ?",
  );
  const signedIn: SignedInMember[] = [];
  for (const member of members) {
    const token = randomBytes(32).toString("base64url");
    const id = createHash("sha256").update(token).digest("base64url");
    insertSession.run(id, now, now + 30 * 24 * 3600 * 1000, member.memberId);
    const header = (await cookie.serialize(token)).split(";")[0] ?? "";
    signedIn.push({ ...member, cookie: header });
  }
  return signedIn;
}
