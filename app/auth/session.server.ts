// The session helper: every protected loader and action starts here (cookie → session row → user → member → permissions).
import { json, redirect } from "@remix-run/node";
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import { touchActivity } from "~/activity/activity.server";
import { auditLabel } from "~/audit/audit-log.server";
import { db } from "~/db/client.server";
import { members, organizations, sessions, users } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";
import { env } from "~/env.server";
import type { Actor } from "~/members/authority.server";
import { type RoleRef, roleList } from "~/members/members.server";
import { PERMISSIONS, type Permission } from "./permissions";
import { createSessionCookie } from "./session-cookie.server";
import { insertSession } from "./session-rows.server";
import { hashToken } from "./tokens.server";

const sessionCookie = createSessionCookie({ secrets: env.sessionSecrets, secure: env.cookieSecure });

export interface SessionContext {
  sessionId: string;
  user: { id: number; email: string; name: string; locale: string | null };
  organization: { id: number; name: string } | null;
  /** The user's membership in the current organization; null if there is none. */
  member: {
    id: number;
    isOwner: boolean;
    joinedAt: number | null;
    deactivatedAt: number | null;
    roles: RoleRef[];
    permissions: ReadonlySet<Permission>;
  } | null;
}

/** A session context whose member is active in the current organization. */
export type MemberContext = SessionContext & {
  organization: NonNullable<SessionContext["organization"]>;
  member: NonNullable<SessionContext["member"]>;
};

// One statement loads everything a protected request needs; roles come back as a JSON array.
const lookupSession = db
  .select({
    sessionId: sessions.id,
    userId: users.id,
    email: users.email,
    name: users.name,
    locale: users.locale,
    organizationId: organizations.id,
    organizationName: organizations.name,
    memberId: members.id,
    isOwner: members.isOwner,
    joinedAt: members.joinedAt,
    deactivatedAt: members.deactivatedAt,
    // For the activity tracker only (it decides from this row, without a read of its own); not part of the context.
    lastActiveAt: members.lastActiveAt,
    roles: roleList,
  })
  .from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId))
  .leftJoin(organizations, eq(organizations.id, sessions.organizationId))
  .leftJoin(members, and(eq(members.organizationId, sessions.organizationId), eq(members.userId, sessions.userId)))
  .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now"))))
  .prepare();

type SessionRow = NonNullable<ReturnType<typeof lookupSession.get>>;

function toContext(row: SessionRow): SessionContext {
  let member: SessionContext["member"] = null;
  if (row.memberId !== null && row.isOwner !== null) {
    const roles = JSON.parse(row.roles ?? "[]") as (RoleRef & { permissions: Permission[] })[];
    const permissions = new Set<Permission>(row.isOwner ? PERMISSIONS : roles.flatMap((role) => role.permissions));
    member = {
      id: row.memberId,
      isOwner: row.isOwner,
      joinedAt: row.joinedAt,
      deactivatedAt: row.deactivatedAt,
      roles: roles.map(({ id, name, builtin }) => ({ id, name, builtin })),
      permissions,
    };
  }
  return {
    sessionId: row.sessionId,
    user: { id: row.userId, email: row.email, name: row.name, locale: row.locale },
    organization:
      row.organizationId !== null && row.organizationName !== null
        ? { id: row.organizationId, name: row.organizationName }
        : null,
    member,
  };
}

/**
 * The signed-in session, or null for anonymous requests and missing, tampered, expired or revoked cookies.
 * Every request of an active member that comes through here counts as activity (SPEC §4).
 */
export async function getSessionContext(request: Request): Promise<SessionContext | null> {
  const token: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length === 0 || token.length > 100) return null;
  const row = lookupSession.get({ id: hashToken(token), now: Date.now() });
  if (!row) return null;
  const context = toContext(row);
  if (isActiveMember(context)) touchActivity(request, context.member.id, row.lastActiveAt);
  return context;
}

/** API routes answer 401/403 with JSON; pages redirect to sign-in and show an error page. */
function wantsJson(request: Request): boolean {
  return new URL(request.url).pathname.startsWith("/api/");
}

function unauthenticated(request: Request): Response {
  if (wantsJson(request)) return json({ error: "unauthenticated" }, { status: 401 });
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
  return redirect(`/login?${params}`);
}

function forbidden(request: Request, reason: "notMember" | "deactivated" | "permission"): Response {
  return json(wantsJson(request) ? { error: "forbidden" } : { reason }, { status: 403 });
}

/** The signed-in session, or throws a redirect to /login (pages) or a 401 (API). */
export async function requireSession(request: Request): Promise<SessionContext> {
  const context = await getSessionContext(request);
  if (!context) throw unauthenticated(request);
  return context;
}

export function isActiveMember(context: SessionContext): context is MemberContext {
  const { member, organization } = context;
  return organization !== null && member !== null && member.joinedAt !== null && member.deactivatedAt === null;
}

/** The session of an active member of the current organization, or throws 401/redirect or 403. */
export async function requireMember(request: Request): Promise<MemberContext> {
  const context = await requireSession(request);
  if (!isActiveMember(context)) {
    throw forbidden(request, context.member?.deactivatedAt ? "deactivated" : "notMember");
  }
  return context;
}

/** The member as the domain layer's actor: who acts, in which organization, with which permissions. */
export function actorOf({ organization, member, user }: MemberContext): Actor {
  return {
    organizationId: organization.id,
    memberId: member.id,
    userId: user.id,
    isOwner: member.isOwner,
    permissions: member.permissions,
    label: auditLabel(user),
  };
}

/** Like requireMember, and throws 403 unless the member holds the permission. */
export async function requirePermission(request: Request, permission: Permission): Promise<MemberContext> {
  const context = await requireMember(request);
  if (!context.member.permissions.has(permission)) throw forbidden(request, "permission");
  return context;
}

/** Like requireMember, and throws 403 unless the member holds every one of the permissions (the owner does). */
export async function requireEveryPermission(request: Request, permissions: Permission[]): Promise<MemberContext> {
  const context = await requireMember(request);
  if (!permissions.every((permission) => context.member.permissions.has(permission))) {
    throw forbidden(request, "permission");
  }
  return context;
}

/** Like requireMember, and throws 403 unless the member holds at least one of the permissions. */
export async function requireAnyPermission(request: Request, permissions: Permission[]): Promise<MemberContext> {
  const context = await requireMember(request);
  if (!permissions.some((permission) => context.member.permissions.has(permission))) {
    throw forbidden(request, "permission");
  }
  return context;
}

/** Starts a new session (a fresh random id: sessions rotate at sign-in) and returns its Set-Cookie header. */
export async function createSession(
  request: Request,
  userId: number,
  organizationId: number | null,
  now = Date.now(),
): Promise<string> {
  const previous: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  const token = writeTransaction(() => {
    if (typeof previous === "string")
      db.delete(sessions)
        .where(eq(sessions.id, hashToken(previous)))
        .run();
    db.delete(sessions)
      .where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)))
      .run();
    return insertSession(db, { userId, organizationId, now });
  });
  return sessionCookie.serialize(token);
}

export function setSessionOrganization(sessionId: string, organizationId: number): void {
  writeTransaction(() => db.update(sessions).set({ organizationId }).where(eq(sessions.id, sessionId)).run());
}

/** Signs the user out everywhere else (after a password change): every session but this one is deleted. */
export function endOtherSessions(userId: number, keepSessionId: string): void {
  writeTransaction(() =>
    db
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
      .run(),
  );
}

/** Deletes the session row and returns a Set-Cookie header that clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const token: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  if (typeof token === "string") {
    writeTransaction(() =>
      db
        .delete(sessions)
        .where(eq(sessions.id, hashToken(token)))
        .run(),
    );
  }
  return sessionCookie.serialize("", { maxAge: 0 });
}
