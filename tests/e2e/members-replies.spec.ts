// The members page's replies in a browser, with and without JavaScript: a change comes back as a message that shows
// once (with an invitation's one-time link), on the same view of the list; a refusal shows beside the member it is about.
import type { BrowserContext } from "@playwright/test";
import { Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { codeIn, emailsTo } from "../support/outbox";
import type { TestServer } from "../support/server";
import { expect, test } from "./fixtures";
import { inviteAsMember } from "./join";

const roleIdOf = (server: TestServer, name: string) =>
  withDatabase(
    server.databasePath,
    (db) => db.prepare("select id from roles where name = ?").pluck().get(name) as number,
  );

/** Someone invited with one role joins through the emailed code (over HTTP); returns their signed-in client. */
async function joined(server: TestServer, admin: Client, email: string, name: string, roleId: number) {
  const link = await inviteAsMember(admin, email, roleId);
  const client = new Client(server.url);
  await client.post(link, { intent: "sendCode" });
  const message = emailsTo(server.outboxDir, email).at(-1);
  if (!message) throw new Error(`no code emailed to ${email}`);
  const response = await client.post(link, { intent: "verify", code: codeIn(message), name, password: "a long pass" });
  if (response.status !== 302) throw new Error(`${email} could not join (${response.status})`);
  return client;
}

async function signInAs(context: BrowserContext, server: TestServer, client: Client) {
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`members page replies ${javaScriptEnabled ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled });

    test("a change comes back on the same view with a message that shows once, an invitation with its link", async ({
      page,
      signedIn: _owner,
    }) => {
      await page.goto("/admin/members");
      await page.getByText("Invite a member").click();
      const form = page.locator("form.invite-form");
      await form.getByLabel("Email").fill("ada@example.com");
      await form.getByRole("button", { name: "Invite", exact: true }).click();
      await expect(page.getByText("ada@example.com is invited.")).toBeVisible();
      await expect(page.getByLabel("Invitation link")).toHaveValue(/\/invite\/[\w-]{43}$/);

      // Moving on and coming back (with JavaScript, path-only navigations do not run the root loader again) shows
      // neither the message nor the link.
      await page.locator("header").getByRole("link", { name: "Roles" }).click();
      await expect(page.getByRole("heading", { name: "Roles", level: 1 })).toBeVisible();
      await expect(page.getByText("ada@example.com is invited.")).toHaveCount(0);
      await page.locator("header").getByRole("link", { name: "Members" }).click();
      await expect(page.getByRole("heading", { name: "Pending invitations" })).toBeVisible();
      await expect(page.getByText("ada@example.com is invited.")).toHaveCount(0);
      await expect(page.getByLabel("Invitation link")).toHaveCount(0);

      // A change returns to the same view of the list; a refresh shows the message and the link no more.
      await page.goto("/admin/members?sort=name&dir=desc");
      await page.getByRole("button", { name: "New link" }).click();
      await expect(
        page.getByText("New invitation link for ada@example.com; the old one no longer works."),
      ).toBeVisible();
      await expect(page.getByLabel("Invitation link")).toHaveValue(/\/invite\/[\w-]{43}$/);
      await expect(page).toHaveURL(/\/admin\/members\?sort=name&dir=desc$/);
      await page.reload();
      await expect(page.getByRole("heading", { name: "Pending invitations" })).toBeVisible();
      await expect(page.getByText("New invitation link for ada@example.com")).toHaveCount(0);
      await expect(page.getByLabel("Invitation link")).toHaveCount(0);
    });

    test("a row's role editor is rendered only when opened; a refusal keeps it open beside that row", async ({
      page,
      context,
      server,
    }) => {
      const owner = await setUpOrganization(server.url);
      await owner.post("/admin/roles", { intent: "create", name: "Managers", permission: "members.manage" });
      await owner.post("/admin/roles", { intent: "create", name: "HR", permission: "activity.view" });
      const manager = await joined(server, owner, "manager@example.com", "Mona Manager", roleIdOf(server, "Managers"));
      await joined(server, owner, "bob@example.com", "Bob Builder", roleIdOf(server, "Member"));

      await signInAs(context, server, manager);
      await page.goto("/admin/members?sort=name&dir=asc");
      await expect(page.locator("form.role-editor")).toHaveCount(0);
      const row = page.locator('tr[data-member-email="bob@example.com"]');
      await row.getByRole("link", { name: "Change roles of Bob Builder" }).click();
      await expect(page).toHaveURL(/\/admin\/members\?sort=name&dir=asc&edit=\d+#member-\d+$/);
      await expect(page.locator("form.role-editor")).toHaveCount(1);

      // HR holds activity.view, which the manager does not: refused beside the row, the editor still open.
      await row.getByLabel("HR", { exact: true }).check();
      await row.getByRole("button", { name: "Save roles" }).click();
      await expect(row.getByRole("alert")).toHaveText("You can only give roles whose permissions you hold yourself.");
      await expect(row.locator("form.role-editor")).toHaveCount(1);

      await row.getByLabel("HR", { exact: true }).uncheck();
      await row.getByLabel("Managers", { exact: true }).check();
      await row.getByRole("button", { name: "Save roles" }).click();
      await expect(page.getByText("Roles changed for Bob Builder.")).toBeVisible();
      await expect(page).toHaveURL(/\/admin\/members\?sort=name&dir=asc$/);
      await expect(page.locator("form.role-editor")).toHaveCount(0);
      await expect(row).toContainText("Managers");
    });

    test("a refusal shows beside the row of the member it is about", async ({ page, context, server }) => {
      const owner = await setUpOrganization(server.url);
      await owner.post("/admin/roles", { intent: "create", name: "Managers", permission: "members.manage" });
      await owner.post("/admin/roles", { intent: "create", name: "HR", permission: "activity.view" });
      const manager = await joined(server, owner, "manager@example.com", "Mona Manager", roleIdOf(server, "Managers"));
      await joined(server, owner, "bob@example.com", "Bob Builder", roleIdOf(server, "Member"));
      const bob = withDatabase(
        server.databasePath,
        (db) =>
          db
            .prepare("select m.id from members m join users u on u.id = m.user_id where u.email = ?")
            .pluck()
            .get("bob@example.com") as number,
      );

      await signInAs(context, server, manager);
      page.on("dialog", (dialog) => dialog.accept());
      await page.goto("/admin/members");
      // Meanwhile the owner gives Bob activity.view, which the manager does not hold.
      const promoted = await owner.post("/admin/members", {
        intent: "setRoles",
        memberId: String(bob),
        roleId: String(roleIdOf(server, "HR")),
      });
      expect(promoted.status).toBe(302);

      await page.getByRole("button", { name: "Deactivate Bob Builder" }).click();
      const row = page.locator('tr[data-member-email="bob@example.com"]');
      await expect(row.getByRole("alert")).toHaveText(/This member has access you do not have/);
      await expect(row.locator(".badge-active")).toBeVisible();
      await expect(page.locator('tr[data-member-email="manager@example.com"]').getByRole("alert")).toHaveCount(0);
    });
  });
}

test("a row's buttons share one form and each asks its own question; declining changes nothing", async ({
  page,
  context,
  server,
}) => {
  const owner = await setUpOrganization(server.url);
  await joined(server, owner, "bob@example.com", "Bob Builder", roleIdOf(server, "Member"));
  await signInAs(context, server, owner);
  await page.goto("/admin/members");
  const row = page.locator('tr[data-member-email="bob@example.com"]');
  await expect(row.locator("form")).toHaveCount(1);

  const questions: string[] = [];
  page.on("dialog", (dialog) => {
    questions.push(dialog.message());
    void dialog.dismiss();
  });
  await row.getByRole("button", { name: "Deactivate Bob Builder" }).click();
  await row.getByRole("button", { name: "Remove Bob Builder" }).click();
  expect(questions).toEqual([
    "Deactivate Bob Builder? They will not be able to sign in to this organization until reactivated.",
    "Remove Bob Builder from this organization?",
  ]);
  await page.reload();
  await expect(row.locator(".badge-active")).toBeVisible();

  page.removeAllListeners("dialog");
  page.on("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Deactivate Bob Builder" }).click();
  await expect(page.getByText("Bob Builder deactivated.")).toBeVisible();
  await expect(row.locator(".badge-deactivated")).toBeVisible();
  // Reactivating asks nothing.
  page.removeAllListeners("dialog");
  page.on("dialog", (dialog) => {
    questions.push(dialog.message());
    void dialog.accept();
  });
  await row.getByRole("button", { name: "Reactivate Bob Builder" }).click();
  await expect(row.locator(".badge-active")).toBeVisible();
  expect(questions).toHaveLength(2);
});
