// Reads and updates user identities (email, name, password, language).
import { eq } from "drizzle-orm";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { db } from "~/db/client.server";
import { users } from "~/db/schema";
import { writeTransaction } from "~/db/write.server";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(email: string) {
  return db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
}

export function updateUserName(userId: number, name: string): void {
  writeTransaction(() => db.update(users).set({ name }).where(eq(users.id, userId)).run());
}

export function updateUserLocale(userId: number, locale: string): void {
  writeTransaction(() => db.update(users).set({ locale }).where(eq(users.id, userId)).run());
}

/** Whether the password is the user's own; false for a user who has none yet. */
export async function isCurrentPassword(userId: number, password: string): Promise<boolean> {
  const user = db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  return user?.passwordHash ? verifyPassword(password, user.passwordHash) : false;
}

/** Replaces the user's password (callers check the current one first: checkCurrentPassword). */
export async function setPassword(userId: number, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  writeTransaction(() => db.update(users).set({ passwordHash }).where(eq(users.id, userId)).run());
}
