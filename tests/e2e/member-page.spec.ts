// The member page in a real browser: opened from the members list, its heatmap and counts, in Swedish, every link
// reachable by keyboard, and no serious accessibility violations (axe) on it or on the members page's new overview.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { expect, test, watchForScriptErrors } from "./fixtures";

const DAY = 86_400_000;
let scriptErrors: string[] = [];

test.beforeEach(async ({ server, context }) => {
  const owner = await setUpOrganization(server.url);
  withDatabase(server.databasePath, (db) => {
    const now = Date.now();
    const today = now - (now % DAY);
    const user = db
      .prepare("insert into users (email, name, password_hash, created_at) values (?, ?, 'x', ?) returning id")
      .pluck()
      .get("mia@example.com", "Mia Member", now - 400 * DAY);
    const member = db
      .prepare(
        `insert into members (organization_id, user_id, created_at, joined_at, last_active_at)
         values (1, ?, ?, ?, ?) returning id`,
      )
      .pluck()
      .get(user, now - 400 * DAY, now - 400 * DAY, now - 3_600_000);
    const memberRole = db.prepare("select id from roles where builtin = 'member'").pluck().get();
    db.prepare("insert into member_roles (member_id, role_id) values (?, ?)").run(member, memberRole);
    const insert = db.prepare("insert or ignore into member_activity_days (member_id, day) values (?, ?)");
    for (const back of [0, 1, 2, 5, 8, 20, 45, 100, 200, 300]) insert.run(member, today - back * DAY);
  });
  await context.addCookies([...owner.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  scriptErrors = watchForScriptErrors(context);
});

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

test("opens a member from the list and shows their year of activity, in English and Swedish", async ({ page }) => {
  await page.goto("/admin/members");
  await page.getByRole("link", { name: "Mia Member", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/members\/\d+$/);
  await expect(page.getByRole("heading", { name: "Mia Member", level: 1 })).toBeVisible();
  await expect(
    page.locator(".member-activity dt", { hasText: "Days active, last 30 days" }).locator("+ dd"),
  ).toHaveText("6");
  expect(await page.locator(".heatmap-day").count()).toBeGreaterThan(52 * 7);
  await expect(page.locator(".heatmap-day.active")).toHaveCount(10);
  await expect(page.getByText("10 active days, by month")).toBeAttached();

  await page.getByRole("button", { name: "Svenska" }).click();
  await expect(page.getByText("Första aktiva dag")).toBeVisible();
  await expect(page.locator(".heatmap-label text").first()).toBeAttached();
  await expect(page.locator(".member-activity")).toContainText("Aktiva dagar, senaste 30 dagarna");
  // Monday first: the first weekday label is Monday's.
  await expect(page.locator(".heatmap-label text", { hasText: /^mån$/ })).toHaveCount(1);
  expect(scriptErrors).toEqual([]);
});

test("every link on the member page is reached by keyboard, and axe finds nothing serious", async ({ page }) => {
  await page.goto("/admin/members");
  await page.getByRole("link", { name: "Mia Member", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Mia Member", level: 1 })).toBeVisible();
  const links = await page
    .locator("a[href]:visible")
    .evaluateAll((elements) => elements.map((element) => element.getAttribute("href")));
  const reached = new Set<string | null>();
  for (let press = 0; press < 80; press += 1) {
    await page.keyboard.press("Tab");
    reached.add(await page.evaluate(() => document.activeElement?.getAttribute("href") ?? null));
  }
  for (const href of links) expect(reached, `link ${href} reached by Tab`).toContain(href);
  expect(await seriousViolations(page)).toEqual([]);
});

test("the members page's trends, chart and bars: names on hover and focus, links to the members, axe clean", async ({
  page,
}) => {
  await page.goto("/admin/members");
  const bar = page.locator("a.chart-bar").last();
  await expect(bar).toHaveAttribute("aria-label", /: \d+ active members?$/);
  await bar.focus();
  await expect(bar.locator(".chart-tip")).toBeVisible();
  await page.getByRole("link", { name: "26 weeks" }).click();
  await expect(page.locator("a.chart-bar")).toHaveCount(26);
  await page.locator(".trends dd a").first().click();
  await expect(page.getByText(/Showing members active on/)).toBeVisible();
  await expect(page.locator("tr[data-member-email]")).not.toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
