// Seeds organizations, members and signed-in sessions into a Roster database, for tests and the benchmark, through the
// app's own row writers and session cookie: a change in how Roster creates them changes the fixtures with it.
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { createSessionCookie, SESSION_COOKIE_NAME } from "~/auth/session-cookie.server";
import { insertSession } from "~/auth/session-rows.server";
import { drizzleOn } from "~/db/open.server";
import { insertMember } from "~/members/member-rows.server";
import { builtinRoleId, insertOrganization as insertOrganizationRows } from "~/organizations/organization-rows.server";
import { insertUser } from "~/users/user-rows.server";

export interface SeededMember {
  memberId: number;
  userId: number;
  organizationId: number;
  email: string;
}

export interface SeededOrganization {
  organizationId: number;
  /** The owner (holding Admin, as setup makes them). */
  owner: SeededMember & { name: string };
  roleIds: { admin: number; member: number };
}

export interface SignedInMember extends SeededMember {
  /** The value for a `Cookie` request header, the app's own session cookie signed with the server's secret. */
  cookie: string;
}

const label = () => randomBytes(4).toString("hex");

/**
 * An organization with its built-in roles and its owner, as setup and "new organization" create them. The owner is a
 * new user (`owner-<random>@example.com` and no password unless given a hash). Returns the ids.
 */
export function insertOrganization(
  sqlite: Database.Database,
  {
    name = "Acme",
    owner = {},
    now = Date.now(),
  }: {
    name?: string;
    owner?: { email?: string; name?: string; passwordHash?: string | null };
    now?: number;
  } = {},
): SeededOrganization {
  const db = drizzleOn(sqlite);
  const email = owner.email ?? `owner-${label()}@example.com`;
  const ownerName = owner.name ?? "Olivia Owner";
  return sqlite.transaction(() => {
    const userId = insertUser(db, { email, name: ownerName, passwordHash: owner.passwordHash ?? null, now });
    const organization = insertOrganizationRows(db, { name, ownerUserId: userId, now });
    return {
      organizationId: organization.id,
      owner: { memberId: organization.ownerMemberId, userId, organizationId: organization.id, email, name: ownerName },
      roleIds: organization.roleIds,
    };
  })();
}

/** Active members (joined, not deactivated, never active, no password) holding the built-in Member role. */
export function insertMembers(
  sqlite: Database.Database,
  {
    organizationId,
    count,
    now = Date.now(),
    label: prefix = label(),
  }: {
    organizationId: number;
    count: number;
    now?: number;
    label?: string;
  },
): SeededMember[] {
  const db = drizzleOn(sqlite);
  return sqlite.transaction(() => {
    const roleIds = [builtinRoleId(db, organizationId, "member")];
    return Array.from({ length: count }, (_, index) => {
      const email = `member-${prefix}-${index}@example.com`;
      const userId = insertUser(db, { email, name: `Member ${prefix} ${index}`, passwordHash: null, now });
      const memberId = insertMember(db, { organizationId, userId, roleIds, now, joinedAt: now });
      return { memberId, userId, organizationId, email };
    });
  })();
}

/** A session cookie as the app signs it: its name and value (for a browser) and the `Cookie` header pair. */
export async function sessionCookie(token: string, secret: string) {
  const cookie = createSessionCookie({ secrets: [secret], secure: false });
  const header = (await cookie.serialize(token)).split(";")[0] ?? "";
  return { name: SESSION_COOKIE_NAME, value: header.slice(SESSION_COOKIE_NAME.length + 1), header };
}

/** Starts a session for the member in their organization, as signing in does; returns the token its cookie carries. */
export function startSession(sqlite: Database.Database, member: SeededMember, now = Date.now()): string {
  return insertSession(drizzleOn(sqlite), { userId: member.userId, organizationId: member.organizationId, now });
}

/** Starts a session for each member in their organization, as signing in does, and returns their cookies. */
export async function signInMembers(
  sqlite: Database.Database,
  members: SeededMember[],
  { secret, now = Date.now() }: { secret: string; now?: number },
): Promise<SignedInMember[]> {
  const tokens = sqlite.transaction(() => members.map((member) => startSession(sqlite, member, now)))();
  return Promise.all(
    members.map(async (member, index) => ({
      ...member,
      cookie: (await sessionCookie(tokens[index] ?? "", secret)).header,
    })),
  );
}
