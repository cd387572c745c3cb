// The audit log in the browser: an owner changes a member's role, opens Audit from the header, and reads the entry in
// English and Swedish; the member's row on the members page leads to their events.
import Database from "better-sqlite3";
import { insertMembers } from "../support/seed";
import { expect, test } from "./fixtures";

test("a role change shows in the audit log, in English and in Swedish", async ({
  page,
  server,
  signedIn,
  scriptErrors,
}) => {
  const sqlite = new Database(server.databasePath);
  const [member] = insertMembers(sqlite, { organizationId: signedIn.organizationId, count: 1, label: "audit" });
  sqlite.close();
  if (!member) throw new Error("no member seeded");

  await page.goto("/admin/members");
  const row = page.locator(`tr[data-member-email="${member.email}"]`);
  await row.getByText("Change roles").click();
  await row.getByLabel("Member", { exact: true }).uncheck();
  await row.getByLabel("Admin", { exact: true }).check();
  await row.getByRole("button", { name: "Save roles" }).click();
  await expect(page.getByText("Roles changed", { exact: false }).first()).toBeVisible();

  await page.getByRole("navigation").getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const entry = page.locator('tr[data-action="member.roles_changed"]');
  await expect(entry).toContainText("Roles changed");
  await expect(entry).toContainText("Member audit 0");
  await expect(entry).toContainText("Roles: Member → Admin");
  await expect(entry).toContainText("Olivia Owner");
  await expect(entry.locator("time")).toHaveAttribute("title", /\d{4}/);

  await page.context().addCookies([{ name: "lng", value: "sv", url: server.url }]);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Granskningslogg" })).toBeVisible();
  await expect(entry).toContainText("Roller ändrade");
  await expect(entry).toContainText("Roller: Medlem → Administratör");

  // The member's own events, from their row on the members page.
  await page.goto("/admin/members");
  await page.getByRole("link", { name: `Granskningslogg för Member audit 0` }).click();
  await expect(page.getByText("Gäller: Member audit 0")).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  expect(scriptErrors).toEqual([]);
});
