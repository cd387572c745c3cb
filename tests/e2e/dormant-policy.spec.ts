// The dormant-account policy walked in Chromium, in English and Swedish: turn it on, preview, save, see who is due on
// the members page, let the sweep run (a restart: it runs at start; the next day's run with an injected clock,
// DORMANT_SWEEP_CLOCK_OFFSET_DAYS), members gone and audited as the system, reactivate one, it survives the next sweep.
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { withDatabase } from "../support/db";
import { insertMembers, insertOrganization, type SeededMember, signInMembers } from "../support/seed";
import { makeDataDir, SESSION_SECRET, startServer, type TestServer } from "../support/server";
import { watchForScriptErrors } from "./fixtures";

const DAY = 86_400_000;

const texts = {
  en: {
    enabled: "Deactivate dormant accounts automatically",
    threshold: "Inactive for (days)",
    preview: "Preview",
    previewCount: "it would deactivate 2 members",
    save: "Save policy",
    saved: "Dormant-account policy saved.",
    status: "Status",
    due: "Due for deactivation",
    deactivatedFilter: "Deactivated",
    filter: "Filter",
    dueOn: "Deactivated on",
    lastRun: "2 members deactivated",
    reactivate: (name: string) => `Reactivate ${name}`,
    reactivated: (name: string) => `${name} reactivated.`,
  },
  sv: {
    enabled: "Inaktivera vilande konton automatiskt",
    threshold: "Inaktiv i (dagar)",
    preview: "Förhandsgranska",
    previewCount: "skulle den inaktivera 2 medlemmar",
    save: "Spara policyn",
    saved: "Policyn för vilande konton har sparats.",
    status: "Status",
    due: "Ska inaktiveras",
    deactivatedFilter: "Inaktiverade",
    filter: "Filtrera",
    dueOn: "Inaktiveras den",
    lastRun: "2 medlemmar inaktiverade",
    reactivate: (name: string) => `Återaktivera ${name}`,
    reactivated: (name: string) => `${name} återaktiverad.`,
  },
};

const lastRunAt = (server: TestServer) =>
  withDatabase(server.databasePath, (db) => db.prepare("select last_run_at from dormant_policies").pluck().get()) as
    | number
    | null;

/**
 * Waits for this server's sweep to have finished a run after `after`: its run is claimed (last_run_at) when it starts,
 * and the server logs one line when it is done.
 */
async function waitForRun(server: TestServer, after: number | null) {
  await expect.poll(() => lastRunAt(server) ?? 0, { timeout: 15_000 }).toBeGreaterThan(after ?? 0);
  await expect
    .poll(() => /dormant-account sweep: organization \d+, \d+ members deactivated/.test(server.output()), {
      timeout: 15_000,
    })
    .toBe(true);
}

for (const lng of ["en", "sv"] as const) {
  test(`turn the policy on, preview, save, sweep, reactivate one: it survives the next sweep (${lng})`, async ({
    browser,
  }) => {
    const t = texts[lng];
    const dataDir = makeDataDir();
    let server = await startServer({ dataDir, env: { DORMANT_SWEEP: "off" } });
    let dormant: SeededMember[] = [];
    let cookie = "";
    const sqlite = new Database(server.databasePath);
    try {
      sqlite.pragma("busy_timeout = 5000");
      const org = insertOrganization(sqlite, { name: "Acme" });
      const seeded = insertMembers(sqlite, { organizationId: org.organizationId, count: 3, label: "walk" });
      const setActive = sqlite.prepare("update members set last_active_at = ? where id = ?");
      for (const [member, days] of [
        [seeded[0], 120],
        [seeded[1], 100],
        [seeded[2], 5],
      ] as const) {
        setActive.run(Date.now() - days * DAY, member?.memberId);
      }
      dormant = seeded.slice(0, 2);
      cookie = (await signInMembers(sqlite, [org.owner], { secret: SESSION_SECRET }))[0]?.cookie ?? "";
    } finally {
      sqlite.close();
    }
    const context = await browser.newContext();
    const errors = watchForScriptErrors(context);
    const [name = "", value = ""] = cookie.split(/=(.*)/s);
    // Cookies do not depend on the port: the session and language stay across the restarts below.
    await context.addCookies([
      { name, value, url: server.url, httpOnly: true, sameSite: "Lax" },
      { name: "lng", value: lng, url: server.url },
    ]);
    const page = await context.newPage();
    page.on("dialog", (dialog) => dialog.accept());
    try {
      await page.goto(`${server.url}/admin/settings`);
      await page.getByLabel(t.enabled).check();
      await page.getByLabel(t.threshold).fill("90");
      await page.getByRole("button", { name: t.preview }).click();
      await expect(page).toHaveURL(/preview=1/);
      const preview = page.getByTestId("policy-preview");
      await expect(preview).toContainText(t.previewCount);
      for (const member of dormant) await expect(preview).toContainText(member.email);
      await expect(preview.locator("time").first()).toHaveAttribute("title", /\d/);

      await page.getByRole("button", { name: t.save }).click();
      await expect(page.getByText(t.saved)).toBeVisible();

      await page.goto(`${server.url}/admin/members?status=due`);
      const rows = page.locator(".members-table tbody tr");
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toContainText(t.dueOn);

      // The sweep runs at start (today's run has not happened yet). The page leaves first: Remix fetches route
      // manifest patches in the background, which would fail against a stopped server.
      await page.goto("about:blank");
      await server.stop();
      server = await startServer({ dataDir });
      await waitForRun(server, null);
      const entries = withDatabase(server.databasePath, (db) =>
        db.prepare("select actor_member_id as actor from audit_events where action = 'member.deactivated'").all(),
      );
      expect(entries).toEqual([{ actor: null }, { actor: null }]);
      await page.goto(`${server.url}/admin/settings`);
      await expect(page.getByTestId("last-run")).toContainText(t.lastRun);
      await page.goto(`${server.url}/admin/members?status=deactivated`);
      await expect(page.locator(".members-table tbody tr")).toHaveCount(2);

      const [kept] = dormant;
      const keptName = `Member walk 0`;
      await page.getByRole("button", { name: t.reactivate(keptName) }).click();
      await expect(page.getByText(t.reactivated(keptName))).toBeVisible();

      // The next day's sweep, with the sweep's clock a day ahead: the reactivated member's clock restarted.
      const before = lastRunAt(server);
      await page.goto("about:blank");
      await server.stop();
      server = await startServer({ dataDir, env: { DORMANT_SWEEP_CLOCK_OFFSET_DAYS: "1" } });
      await waitForRun(server, before);
      await page.goto(`${server.url}/admin/members?status=deactivated`);
      await expect(page.locator(".members-table tbody tr")).toHaveCount(1);
      await expect(page.locator(".members-table tbody tr")).not.toContainText(kept?.email ?? "?");
      expect(errors, "script errors in the browser").toEqual([]);
    } finally {
      await context.close();
      await server.stop();
    }
  });
}
