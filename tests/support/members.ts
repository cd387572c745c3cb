// Test helpers that drive member management through the real pages: invite, accept, look up ids.
import { expect } from "vitest";
import { Client } from "./client";
import { withDatabase } from "./db";
import { codeIn, type OutboxEmail, outboxBeside, readOutbox } from "./outbox";

/** Where a test server answers and where it writes the emails it would send. */
export interface ServerAddress {
  url: string;
  outboxDir: string;
}

export function roleId(databasePath: string, organizationName: string, roleName: string): number {
  return withDatabase(databasePath, (db) => {
    const row = db
      .prepare(
        "select r.id from roles r join organizations o on o.id = r.organization_id where o.name = ? and r.name = ?",
      )
      .get(organizationName, roleName) as { id: number } | undefined;
    if (!row) throw new Error(`no role ${roleName} in ${organizationName}`);
    return row.id;
  });
}

export function memberId(databasePath: string, organizationName: string, email: string): number {
  return withDatabase(databasePath, (db) => {
    const row = db
      .prepare(
        `select m.id from members m join users u on u.id = m.user_id join organizations o on o.id = m.organization_id
         where o.name = ? and u.email = ?`,
      )
      .get(organizationName, email) as { id: number } | undefined;
    if (!row) throw new Error(`no member ${email} in ${organizationName}`);
    return row.id;
  });
}

/**
 * Follows a successful action's redirect (Post/Redirect/Get) with the same client and returns the page it lands on,
 * which shows the action's flash message once.
 */
export async function followRedirect(client: Client, response: Response): Promise<string> {
  expect(response.status, (await response.clone().text()).slice(0, 300)).toBe(302);
  const location = response.headers.get("Location");
  if (!location) throw new Error("a redirect without a Location");
  const page = await client.get(location);
  expect(page.status).toBe(200);
  return page.text();
}

/** The one-time invitation link a page shows (once, after inviting or issuing a new link), as an absolute URL. */
export function invitationLinkOn(html: string): string | undefined {
  return /value="(http[^"]*\/invite\/[\w-]+)"/.exec(html)?.[1];
}

/** Posts the invite form and returns the one-time link the page shows after it (its path). */
export async function invite(admin: Client, email: string, roleIds: number[]): Promise<string> {
  const body = new URLSearchParams({ intent: "invite", email });
  for (const id of roleIds) body.append("roleId", String(id));
  const response = await admin.request("/admin/members", { method: "POST", body });
  const link = invitationLinkOn(await followRedirect(admin, response));
  if (!link) throw new Error("no invitation link on the page");
  return new URL(link).pathname;
}

/** Asks for a code on the invitation page as `client` would, and returns the one email that brought it. */
export async function requestCode(client: Client, path: string, outboxDir: string): Promise<OutboxEmail> {
  const before = new Set(readOutbox(outboxDir).map((email) => email.file));
  const response = await client.post(path, { intent: "sendCode" });
  expect(response.status, await response.clone().text()).toBe(302);
  const fresh = readOutbox(outboxDir).filter((email) => !before.has(email.file));
  expect(fresh).toHaveLength(1);
  return fresh[0] as OutboxEmail;
}

/**
 * Accepts an invitation the way someone new to Roster does: asks for a code, reads it from the server's outbox, and
 * enters it with a name and a password. Returns their signed-in client.
 */
export async function acceptAsNewUser(
  server: ServerAddress,
  path: string,
  name: string,
  password: string,
): Promise<Client> {
  const client = new Client(server.url);
  const email = await requestCode(client, path, server.outboxDir);
  const response = await client.post(path, { intent: "verify", code: codeIn(email), name, password });
  expect(response.status, await response.clone().text()).toBe(302);
  return client;
}

export async function inviteAndAccept(
  admin: Client,
  databasePath: string,
  organizationName: string,
  email: string,
  roleNames: string[],
): Promise<Client> {
  const ids = roleNames.map((name) => roleId(databasePath, organizationName, name));
  const path = await invite(admin, email, ids);
  const server = { url: admin.baseUrl, outboxDir: outboxBeside(databasePath) };
  return acceptAsNewUser(server, path, email.split("@")[0] ?? "someone", "a long password");
}
