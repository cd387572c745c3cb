// The invitation flow in a browser, in English and Swedish, with and without JavaScript: open the link, ask for a code
// by email, read it from the server's outbox, enter it with a name and a password, land on the home page signed in.
import { setUpOrganization } from "../support/client";
import { withDatabase } from "../support/db";
import { codeIn, emailsTo } from "../support/outbox";
import { expect, test, watchForScriptErrors } from "./fixtures";
import { inviteAsMember, joinTexts, joinWithEmailedCode } from "./join";

const memberRole = (databasePath: string) =>
  withDatabase(
    databasePath,
    (db) => db.prepare("select id from roles where builtin = 'member'").pluck().get() as number,
  );

for (const lng of ["en", "sv"] as const) {
  for (const javaScriptEnabled of lng === "en" ? [true, false] : [true]) {
    test(`a new person joins through an emailed code (${lng}${javaScriptEnabled ? "" : ", no JavaScript"})`, async ({
      browser,
      server,
    }) => {
      const t = joinTexts[lng];
      const owner = await setUpOrganization(server.url);
      const email = `joiner-${lng}@example.com`;
      const link = await inviteAsMember(owner, email, memberRole(server.databasePath));

      const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled });
      const scriptErrors = watchForScriptErrors(context);
      await context.addCookies([{ name: "lng", value: lng, url: server.url }]);
      const page = await context.newPage();
      await page.goto(link);
      await expect(page.getByRole("heading", { name: t.title })).toBeVisible();
      await expect(page.getByRole("heading", { name: t.passwordTitle })).toBeVisible();

      await joinWithEmailedCode(page, server, email, { name: "Joiner", password: "a long password", lng });
      await expect(page.getByText(`${t.signedInAs} Joiner`)).toBeVisible();
      await expect(page).toHaveURL(`${server.url}/`);
      expect(scriptErrors, "script errors in the browser").toEqual([]);
      await context.close();
    });
  }
}

test("a wrong code is refused on the page, and the right one still works", async ({ browser, server }) => {
  const t = joinTexts.en;
  const owner = await setUpOrganization(server.url);
  const email = "typo@example.com";
  const link = await inviteAsMember(owner, email, memberRole(server.databasePath));
  const context = await browser.newContext({ baseURL: server.url });
  const scriptErrors = watchForScriptErrors(context);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole("button", { name: t.emailMeACode }).click();
  await expect(page.getByRole("heading", { name: t.checkEmail })).toBeVisible();
  const message = emailsTo(server.outboxDir, email).at(-1);
  if (!message) throw new Error("no email");
  const code = codeIn(message);
  const wrong = code === "000000" ? "000001" : "000000";
  await page.getByLabel(t.code).fill(wrong);
  await page.getByLabel(t.name, { exact: true }).fill("Typo");
  await page.getByLabel(t.newPassword, { exact: true }).fill("a long password");
  await page.getByRole("button", { name: t.join }).click();
  await expect(page.getByText(t.wrongCode)).toBeVisible();
  await expect(page.getByLabel(t.name, { exact: true })).toHaveValue("Typo");
  await page.getByLabel(t.code).fill(code);
  await page.getByLabel(t.newPassword, { exact: true }).fill("a long password");
  await page.getByRole("button", { name: t.join }).click();
  await expect(page.getByText(`${joinTexts.en.signedInAs} Typo`)).toBeVisible();
  expect(scriptErrors, "script errors in the browser").toEqual([]);
  await context.close();
});
