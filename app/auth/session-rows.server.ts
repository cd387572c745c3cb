// Writes a session row on the connection it is given: the app's (createSession, inside its write transaction) or a
// test's or the bench's, so fixtures sign people in as Roster does.
import type { Db } from "~/db/open.server";
import { sessions } from "~/db/schema";
import { SESSION_TTL_MS } from "./session-cookie.server";
import { hashToken, newToken } from "./tokens.server";

/**
 * Starts a session for the user in the organization and returns its token, the value the cookie carries; the row is
 * keyed by the token's hash, so a copy of the database holds no usable session.
 */
export function insertSession(
  db: Db,
  { userId, organizationId, now }: { userId: number; organizationId: number | null; now: number },
): string {
  const token = newToken();
  db.insert(sessions)
    .values({ id: hashToken(token), userId, organizationId, createdAt: now, expiresAt: now + SESSION_TTL_MS })
    .run();
  return token;
}
