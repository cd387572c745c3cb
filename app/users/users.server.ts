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

/** Changes the password after checking the current one; false when the current one is wrong. */
export async function changePassword(userId: number, currentPassword: string, newPassword: string): Promise<boolean> {
  const user = db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  if (!user?.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) return false;
  const passwordHash = await hashPassword(newPassword);
  writeTransaction(() => db.update(users).set({ passwordHash }).where(eq(users.id, userId)).run());
  return true;
}
