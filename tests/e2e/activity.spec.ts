import type { Request } from "@playwright/test";
import { lastActiveAt } from "../support/activity";
import { withDatabase } from "../support/db";
import { expect, test } from "./fixtures";

// A one-second debounce, so the test waits out the window instead of faking time in a real browser.
test.use({ serverEnv: { ACTIVITY_DEBOUNCE_SECONDS: "1" } });

const OWNER_MEMBER_ID = 1;

test("client-side navigation updates last_active_at; a prefetch does not", async ({ page, server }) => {
  const lastActive = () => withDatabase(server.databasePath, (db) => lastActiveAt(db, OWNER_MEMBER_ID)) ?? 0;
  const waitOutWindow = async () => {
    const remaining = lastActive() + 1000 - Date.now();
    if (remaining >= 0) await page.waitForTimeout(remaining + 50);
  };
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const requests: Request[] = [];
  page.on("request", (request) => requests.push(request));

  await page.goto("/");
  await page.getByLabel("Organization name").fill("Acme");
  await page.getByLabel("Name", { exact: true }).fill("Olivia Owner");
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByRole("heading", { name: "Acme" })).toBeVisible();
  const afterSetup = lastActive();
  expect(afterSetup).toBeGreaterThan(0);

  // A path-only client-side navigation: only the route loader runs (no document request, no root loader).
  await waitOutWindow();
  requests.length = 0;
  await page.getByRole("link", { name: "Profile" }).first().click();
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
  const urls = requests.map((request) => request.url());
  expect(urls).toContainEqual(expect.stringContaining("_data=routes%2Fsettings.profile"));
  expect(urls).not.toContainEqual(expect.stringContaining("_data=root"));
  expect(requests.filter((request) => request.resourceType() === "document")).toEqual([]);
  const afterNavigation = lastActive();
  expect(afterNavigation).toBeGreaterThan(afterSetup);

  // What <Link prefetch> renders: a <link rel="prefetch"> for the next page's loader data.
  await waitOutWindow();
  const prefetched = page.waitForResponse((response) => response.url().includes("_data=routes%2F_index"));
  await page.evaluate(() => {
    const link = document.createElement("link");
    link.rel = "prefetch";
    link.as = "fetch";
    link.href = "/?_data=routes%2F_index";
    document.head.append(link);
  });
  const response = await prefetched;
  expect(response.status()).toBe(200);
  const headers = await response.request().allHeaders();
  expect(headers.purpose ?? headers["sec-purpose"]).toMatch(/^prefetch/);
  expect(lastActive()).toBe(afterNavigation);

  // The member was due all along: their next real request is written.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
  expect(lastActive()).toBeGreaterThan(afterNavigation);
  expect(pageErrors).toEqual([]);
});
