import type { Browser, Page } from "@playwright/test";
import { expect, test, watchForScriptErrors } from "./fixtures";
import { joinWithEmailedCode } from "./join";

const texts = {
  en: {
    email: "Email",
    roleName: "Role name",
    viewActivity: "View activity",
    createRole: "Create role",
    invite: "Invite",
    inviteTitle: "Invite a member",
    member: "Member",
    link: "Invitation link",
    signedInAs: "Signed in as",
    denied: "Access denied",
    readOnly: "You can view this page but not change anything.",
    changeRoles: "Change roles",
    saveRoles: "Save roles",
    deactivate: (name: string) => `Deactivate ${name}`,
    deactivated: "Your access has been deactivated",
    invited: (email: string) => `${email} is invited.`,
    rolesChanged: (name: string) => `Roles changed for ${name}.`,
    deactivatedFlash: (name: string) => `${name} deactivated.`,
  },
  sv: {
    email: "E-post",
    roleName: "Rollens namn",
    viewActivity: "Se aktivitet",
    createRole: "Skapa roll",
    invite: "Bjud in",
    inviteTitle: "Bjud in en medlem",
    member: "Medlem",
    link: "Inbjudningslänk",
    signedInAs: "Inloggad som",
    denied: "Åtkomst nekad",
    readOnly: "Du kan se den här sidan men inte ändra något.",
    changeRoles: "Ändra roller",
    saveRoles: "Spara roller",
    deactivate: (name: string) => `Inaktivera ${name}`,
    deactivated: "Din åtkomst har inaktiverats",
    invited: (email: string) => `${email} är inbjuden.`,
    rolesChanged: (name: string) => `Rollerna för ${name} ändrade.`,
    deactivatedFlash: (name: string) => `${name} inaktiverad.`,
  },
};

async function newPage(browser: Browser, baseURL: string, lng: "en" | "sv", errors: string[][]): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  errors.push(watchForScriptErrors(context));
  await context.addCookies([{ name: "lng", value: lng, url: baseURL }]);
  const page = await context.newPage();
  page.on("dialog", (dialog) => dialog.accept());
  return page;
}

for (const lng of ["en", "sv"] as const) {
  test(`owner invites, member joins, gets a read-only activity role, is deactivated (${lng})`, async ({
    browser,
    server,
    context,
    page: owner,
    signedIn,
  }) => {
    const t = texts[lng];
    const email = `ada-${lng}@example.com`;
    const name = `Ada ${lng}`;
    const roleName = lng === "en" ? "HR" : "Personal";

    // The owner's page starts signed in (the signedIn fixture); the member's is a second browser context.
    await context.addCookies([{ name: "lng", value: lng, url: server.url }]);
    owner.on("dialog", (dialog) => dialog.accept());
    await owner.goto("/");
    await expect(owner.getByText(`${t.signedInAs} ${signedIn.name}`)).toBeVisible();
    const scriptErrors: string[][] = [];

    await owner.goto("/admin/roles");
    await owner.getByLabel(t.roleName).last().fill(roleName);
    await owner
      .locator("form", { has: owner.getByRole("button", { name: t.createRole }) })
      .getByLabel(t.viewActivity)
      .check();
    await owner.getByRole("button", { name: t.createRole }).click();
    await expect(owner.locator(`li.role-card input[value="${roleName}"]`)).toHaveCount(1);

    await owner.goto("/admin/members");
    // The invite form is behind a disclosure, so a phone shows the list first.
    await expect(owner.locator("form.invite-form")).toBeHidden();
    await owner.getByText(t.inviteTitle).click();
    const inviteForm = owner.locator("form.invite-form");
    await inviteForm.getByLabel(t.email).fill(email);
    await expect(inviteForm.getByLabel(t.member, { exact: true })).toBeChecked();
    await inviteForm.getByRole("button", { name: t.invite, exact: true }).click();
    await expect(owner.getByText(t.invited(email))).toBeVisible();
    const link = await owner.getByLabel(t.link).inputValue();
    expect(link).toMatch(/\/invite\/[\w-]{43}$/);

    const member = await newPage(browser, server.url, lng, scriptErrors);
    await member.goto(link);
    await joinWithEmailedCode(member, server, email, { name, password: "a long password", lng });
    await expect(member).toHaveURL(`${server.url}/`);
    await expect(member.getByText(`${t.signedInAs} ${name}`)).toBeVisible();

    const forbidden = await member.goto("/admin/members");
    expect(forbidden?.status()).toBe(403);
    await expect(member.getByRole("heading", { name: t.denied })).toBeVisible();

    await owner.reload();
    const row = owner.locator(`tr[data-member-email="${email}"]`);
    await row.getByText(t.changeRoles).click();
    await row.getByLabel(t.member, { exact: true }).uncheck();
    await row.getByLabel(roleName, { exact: true }).check();
    await row.getByRole("button", { name: t.saveRoles }).click();
    await expect(owner.getByText(t.rolesChanged(name))).toBeVisible();
    await expect(owner.locator(`tr[data-member-email="${email}"]`)).toContainText(roleName);

    await member.goto("/admin/members");
    await expect(member.getByText(t.readOnly)).toBeVisible();
    await expect(member.getByRole("cell", { name: signedIn.email })).toBeVisible();
    await expect(member.getByRole("button", { name: t.deactivate(signedIn.name) })).toHaveCount(0);

    await owner.getByRole("button", { name: t.deactivate(name) }).click();
    await expect(owner.getByText(t.deactivatedFlash(name))).toBeVisible();
    await expect(owner.locator(`tr[data-member-email="${email}"] .badge-deactivated`)).toBeVisible();

    await member.getByRole("link", { name: "Roster" }).click();
    await expect(member.getByRole("heading", { name: t.deactivated })).toBeVisible();
    expect(scriptErrors.flat(), "script errors in the browser").toEqual([]);
  });
}
