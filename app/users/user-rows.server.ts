// Writes a user row on the connection it is given: the app's (inside its write transaction) or a test's or the bench's.
import type { Db } from "~/db/open.server";
import { users } from "~/db/schema";

/**
 * Inserts a user and returns its id. `email` must already be normalized (normalizeEmail); `passwordHash` is null for
 * someone only invited, who has never set a password.
 */
export function insertUser(
  db: Db,
  user: { email: string; name: string; passwordHash: string | null; now: number },
): number {
  return db
    .insert(users)
    .values({ email: user.email, name: user.name, passwordHash: user.passwordHash, createdAt: user.now })
    .returning({ id: users.id })
    .get().id;
}
