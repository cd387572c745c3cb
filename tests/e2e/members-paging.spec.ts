// Paging the members list in a browser, with and without JavaScript: next and previous carry a cursor, first and last
// are numbered pages, and each shows where it sits in the list (docs/decisions/013-members-list-keyset.md).
import { setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { expect, test } from "./fixtures";

test.beforeEach(async ({ server, context }) => {
  const owner = await setUpOrganization(server.url);
  withDatabase(server.databasePath, (db) => {
    db.transaction(() => {
      for (let index = 0; index < 120; index += 1) {
        const user = db
          .prepare("insert into users (email, name, password_hash, created_at) values (?, ?, 'x', ?) returning id")
          .pluck()
          .get(`m${String(index).padStart(3, "0")}@paging.test`, `Member ${index}`, Date.now());
        db.prepare("insert into members (organization_id, user_id, created_at, joined_at) values (1, ?, ?, ?)").run(
          user,
          Date.now(),
          Date.now(),
        );
      }
    })();
  });
  await context.addCookies([...owner.cookies].map(([name, value]) => ({ name, value, url: server.url })));
});

const firstRow = (page: import("@playwright/test").Page) => page.locator("table.members-table tbody tr").first();

for (const javaScriptEnabled of [true, false]) {
  test.describe(`paging ${javaScriptEnabled ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled });

    test("walks next, previous, last and first by email", async ({ page }) => {
      await page.goto("/admin/members?sort=email&dir=asc");
      await expect(firstRow(page)).toHaveAttribute("data-member-email", "m000@paging.test");
      await expect(page.getByText("Showing 1–50 of 121")).toBeVisible();

      await page.getByRole("link", { name: "Next" }).click();
      await expect(page).toHaveURL(/page=2&after=\d+/);
      await expect(firstRow(page)).toHaveAttribute("data-member-email", "m050@paging.test");
      await expect(page.getByText("Showing 51–100 of 121")).toBeVisible();

      await page.getByRole("link", { name: "Next" }).click();
      await expect(page.getByText("Showing 101–121 of 121")).toBeVisible();
      await expect(page.locator("table.members-table tbody tr").last()).toHaveAttribute(
        "data-member-email",
        "owner@example.com",
      );
      await expect(page.getByRole("link", { name: "Next" })).toHaveCount(0);

      await page.getByRole("link", { name: "Previous" }).click();
      await expect(page).toHaveURL(/page=2&before=\d+/);
      await expect(firstRow(page)).toHaveAttribute("data-member-email", "m050@paging.test");

      await page.getByRole("link", { name: "Previous" }).click();
      await expect(firstRow(page)).toHaveAttribute("data-member-email", "m000@paging.test");
      await page.getByRole("link", { name: "Last", exact: true }).click();
      await expect(page).toHaveURL(/page=3$/);
      await expect(page.getByText("Showing 101–121 of 121")).toBeVisible();
      await page.getByRole("link", { name: "First", exact: true }).click();
      await expect(page.getByText("Showing 1–50 of 121")).toBeVisible();
    });
  });
}
