import { expect, test } from "./fixtures";

test("first-run setup, sign out, sign in, profile, wrong password, Swedish", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Organization name").fill("Acme");
  await page.getByLabel("Name", { exact: true }).fill("Olivia Owner");
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByRole("button", { name: "Create organization" }).click();

  await expect(page.getByRole("heading", { name: "Acme" })).toBeVisible();
  await expect(page.getByText("Signed in as Olivia Owner (owner@example.com).")).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/settings/profile");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsettings%2Fprofile$/);

  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill("Olivia Q. Owner");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Your name was saved.")).toBeVisible();
  await page.getByRole("link", { name: "Roster" }).click();
  await expect(page.getByText("Signed in as Olivia Q. Owner")).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password", { exact: true }).fill("wrong password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await expect(page.getByLabel("Email")).toHaveValue("owner@example.com");

  await page.getByRole("button", { name: "Svenska" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByRole("heading", { name: "Logga in" })).toBeVisible();
  await page.getByLabel("E-post").fill("owner@example.com");
  await page.getByLabel("Lösenord", { exact: true }).fill("correct horse battery");
  await page.getByRole("button", { name: "Logga in" }).click();
  await expect(page.getByText("Inloggad som Olivia Q. Owner (owner@example.com).")).toBeVisible();
  expect((await page.context().cookies()).find((cookie) => cookie.name === "lng")?.value).toBe("sv");
});
