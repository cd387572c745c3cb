import { type Client, setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { expect, test } from "./fixtures";

test.use({ timezoneId: "Europe/Stockholm" });

let owner: Client;

test.beforeEach(async ({ server, context }) => {
  owner = await setUpOrganization(server.url);
  withDatabase(server.databasePath, (db) => {
    db.prepare("update members set last_active_at = ?").run(Date.now() - 10_000);
    const user = db
      .prepare("insert into users (email, name, password_hash, created_at) values (?, ?, 'x', ?) returning id")
      .pluck()
      .get("never@example.com", "Nora Never", Date.now());
    db.prepare("insert into members (organization_id, user_id, created_at, joined_at) values (1, ?, ?, ?)").run(
      user,
      Date.now(),
      Date.now(),
    );
  });
  await context.addCookies([...owner.cookies].map(([name, value]) => ({ name, value, url: server.url })));
});

test("renders last-active labels without hydration errors and refreshes them every minute", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  await page.clock.install();
  await page.goto("/admin/members");
  const ownerRow = page.locator('tr[data-member-email="owner@example.com"]');
  const label = ownerRow.locator("time");
  await expect(label).toHaveText("just now");
  await expect(page.locator('tr[data-member-email="never@example.com"]')).toContainText("Never");
  // After hydration the title shows the viewer's own time zone, not the server's UTC.
  await expect(label).not.toHaveAttribute("title", /UTC$/);
  await expect(label).toHaveAttribute("datetime", /Z$/);

  await page.clock.fastForward("02:05");
  await expect(label).toHaveText("2 minutes ago");
  expect(problems.filter((text) => /hydrat|did not match/i.test(text))).toEqual([]);
});

test("shows cards instead of a table on narrow screens, in Swedish", async ({ page, server }) => {
  const memberRole = withDatabase(
    server.databasePath,
    (db) => db.prepare("select id from roles where builtin = 'member'").pluck().get() as number,
  );
  const invited = await owner.post("/admin/members", {
    intent: "invite",
    email: "someone.with.a.rather.long.address@example-organisation.se",
    roleId: String(memberRole),
  });
  expect(invited.status).toBe(302);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/members?lng=sv");
  // The table's own rows are the cards: no header row, each row a box with labelled values.
  await expect(page.locator("table.members-table thead")).toBeHidden();
  const card = page.locator('tr.member-card[data-member-email="owner@example.com"]');
  await expect(card).toBeVisible();
  expect(await card.evaluate((row) => getComputedStyle(row).display)).toBe("flex");
  await expect(card.getByText("Aktiv:")).toBeVisible();
  await expect(card).toContainText("Aktiv: alldeles nyss");
  await expect(page.locator('tr.member-card[data-member-email="never@example.com"]')).toContainText("Aktiv: Aldrig");
  const box = await card.boundingBox();
  expect(box?.width).toBeLessThanOrEqual(390);
  // Nothing on the page is wider than the screen: pending invitations stack like the members' cards.
  await expect(page.locator("table.pending-invitations")).toContainText("Går ut: ");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // On a wide screen the same rows are a table again, the labels hidden.
  await page.setViewportSize({ width: 1200, height: 800 });
  await expect(page.locator("table.members-table thead")).toBeVisible();
  await expect(card.getByText("Aktiv:")).toBeHidden();
});

test("sorts by clicking a column header and filters by status", async ({ page }) => {
  await page.goto("/admin/members");
  await page.getByRole("link", { name: "Name" }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await expect(page.locator("table.members-table tbody tr").first()).toHaveAttribute(
    "data-member-email",
    "never@example.com",
  );
  await page.getByRole("link", { name: "Name" }).click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  await expect(page.locator("table.members-table tbody tr").first()).toHaveAttribute(
    "data-member-email",
    "owner@example.com",
  );

  await page.getByLabel("Status").selectOption("never");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=never/);
  await expect(page.locator("table.members-table tbody tr")).toHaveCount(1);
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(`bulk deactivation ${javaScriptEnabled ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled });

    test("asks for confirmation, then deactivates the selected member", async ({ page }) => {
      await page.goto("/admin/members");
      await page.getByLabel("Select Nora Never").check();
      await page.getByRole("button", { name: "Deactivate selected" }).click();
      const question = page.getByRole("alertdialog");
      await expect(question).toContainText("Deactivate the 1 selected member?");
      await expect(page.locator('tr[data-member-email="never@example.com"] .badge-active')).toBeVisible();
      await question.getByRole("button", { name: "Yes, deactivate 1 member" }).click();
      await expect(page.getByText("1 member deactivated.")).toBeVisible();
      await expect(page.locator('tr[data-member-email="never@example.com"] .badge-deactivated')).toBeVisible();
    });
  });
}
