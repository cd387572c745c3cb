// Joining through an invitation in a browser: ask for a code by email, read it from the test server's outbox, enter it.
import type { Page } from "@playwright/test";
import type { Client } from "../support/client";
import { codeIn, emailsTo } from "../support/outbox";
import type { TestServer } from "../support/server";
import { expect } from "./fixtures";

export const joinTexts = {
  en: {
    title: "Join Acme",
    passwordTitle: "Log in with your Roster password",
    emailMeACode: "Email me a code",
    checkEmail: "Check your email",
    code: "Code from the email",
    name: "Name",
    newPassword: "New password",
    join: "Join Acme",
    wrongCode: "That code is not right. Use the code from the newest email.",
    signedInAs: "Signed in as",
    subject: (code: string) => `${code} is your Roster code`,
  },
  sv: {
    title: "Gå med i Acme",
    passwordTitle: "Logga in med ditt Roster-lösenord",
    emailMeACode: "Mejla mig en kod",
    checkEmail: "Titta i din e-post",
    code: "Kod från mejlet",
    name: "Namn",
    newPassword: "Nytt lösenord",
    join: "Gå med i Acme",
    wrongCode: "Koden stämmer inte. Använd koden i det senaste mejlet.",
    signedInAs: "Inloggad som",
    subject: (code: string) => `${code} är din kod till Roster`,
  },
};

/** On an open invitation page: asks for a code, reads it from the outbox, enters it with a name and a password. */
export async function joinWithEmailedCode(
  page: Page,
  server: TestServer,
  email: string,
  { name, password, lng }: { name: string; password: string; lng: "en" | "sv" },
) {
  const t = joinTexts[lng];
  const before = emailsTo(server.outboxDir, email).length;
  await page.getByRole("button", { name: t.emailMeACode }).click();
  await expect(page.getByRole("heading", { name: t.checkEmail })).toBeVisible();
  const emails = emailsTo(server.outboxDir, email);
  expect(emails).toHaveLength(before + 1);
  const message = emails.at(-1);
  if (!message) throw new Error("no email");
  const code = codeIn(message);
  expect(message.subject).toBe(t.subject(code));
  await page.getByLabel(t.code).fill(code);
  await page.getByLabel(t.name, { exact: true }).fill(name);
  await page.getByLabel(t.newPassword, { exact: true }).fill(password);
  await page.getByRole("button", { name: t.join }).click();
}

/** Invites an email to the admin's organization with its Member role and returns the link's path (no vitest here). */
export async function inviteAsMember(admin: Client, email: string, memberRoleId: number): Promise<string> {
  const response = await admin.post("/admin/members", { intent: "invite", email, roleId: String(memberRoleId) });
  const location = response.headers.get("Location");
  if (response.status !== 302 || !location) throw new Error(`inviting did not redirect (${response.status})`);
  // The page the invitation redirects to shows the one-time link, once.
  const page = await admin.get(location);
  const link = /value="(http[^"]*\/invite\/[\w-]+)"/.exec(await page.text())?.[1];
  if (!link) throw new Error(`no invitation link on the page (${page.status})`);
  return new URL(link).pathname;
}
