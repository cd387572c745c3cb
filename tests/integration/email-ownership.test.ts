// Email ownership over HTTP (decision 010): only a code Roster emails to an address lets anyone set a password for it,
// so a squatter cannot take an address they do not control, a squatted account is reclaimed by the mailbox's owner,
// and the invitation page tells nobody whether an address has an account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/auth/password.server";
import { Client, setUpOrganization, signIn } from "../support/client";
import { withDatabase } from "../support/db";
import { acceptAsNewUser, invite, inviteAndAccept, requestCode, roleId } from "../support/members";
import { codeIn, emailsTo } from "../support/outbox";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let owner: Client;
/** Every code the server emailed in these tests, to check that none reached its output. */
const codesSeen = new Set<string>();

beforeAll(async () => {
  server = await startServer();
  owner = await setUpOrganization(server.url);
});
afterAll(async () => {
  await server.stop();
});

const readCode = (email: Parameters<typeof codeIn>[0]) => {
  const code = codeIn(email);
  codesSeen.add(code);
  return code;
};

/** A signed-in user with an organization of their own, who invites whom they like there. */
async function organizationOf(email: string, organizationName: string): Promise<Client> {
  const person = await inviteAndAccept(owner, server.databasePath, "Acme", email, ["Member"]);
  const created = await person.post("/orgs/new", { orgName: organizationName });
  expect(created.status).toBe(302);
  return person;
}

const memberRoleIn = (organizationName: string) => roleId(server.databasePath, organizationName, "Member");

/** The owner signed in afresh, working in the organization (they own every one these tests create for them). */
async function ownerIn(organizationName: string): Promise<Client> {
  const client = await signIn(server.url, "owner@example.com", "correct horse battery");
  const organizationId = withDatabase(server.databasePath, (db) =>
    db.prepare("select id from organizations where name = ?").pluck().get(organizationName),
  );
  if (organizationId === undefined) {
    expect((await client.post("/orgs/new", { orgName: organizationName })).status).toBe(302);
  } else {
    expect((await client.post("/orgs/switch", { organizationId: String(organizationId) })).status).toBe(302);
  }
  return client;
}

const userRow = (email: string) =>
  withDatabase(server.databasePath, (db) =>
    db.prepare("select id, name, password_hash from users where email = ?").get(email),
  ) as { id: number; name: string; password_hash: string | null } | undefined;

const sessionsOf = (email: string) =>
  withDatabase(server.databasePath, (db) =>
    db.prepare("select count(*) from sessions s join users u on u.id = s.user_id where u.email = ?").pluck().get(email),
  ) as number;

const isMember = (organizationName: string, email: string) =>
  withDatabase(server.databasePath, (db) =>
    db
      .prepare(
        `select m.joined_at from members m join users u on u.id = m.user_id join organizations o on o.id = m.organization_id
         where o.name = ? and u.email = ?`,
      )
      .pluck()
      .get(organizationName, email),
  ) != null;

describe("the squatter scenario, end to end", () => {
  it("a squatter cannot set a password for an address they do not control; its owner joins with their own", async () => {
    const squatter = await organizationOf("squatter@evil.example", "Squat");
    const squatLink = await invite(squatter, "victim@victim.example", [memberRoleIn("Squat")]);

    // The squatter opens their own link: no way in without the code, which goes to the victim's mailbox.
    const asSquatter = new Client(server.url);
    expect((await asSquatter.get(squatLink)).status).toBe(200);
    const legacy = await asSquatter.post(squatLink, { name: "Mallory", password: "squatter password" });
    expect(legacy.status).toBe(400);
    const noCode = await asSquatter.post(squatLink, {
      intent: "verify",
      code: "123456",
      name: "Mallory",
      password: "squatter password",
    });
    expect(noCode.status).toBe(400);
    expect(await noCode.text()).toContain("This code has expired or has already been used.");
    const passwordGuess = await asSquatter.post(squatLink, { intent: "password", password: "squatter password" });
    expect(passwordGuess.status).toBe(400);

    const sent = await requestCode(asSquatter, squatLink, server.outboxDir);
    expect(sent.to).toContain("victim@victim.example");
    const unknownToSquatter = readCode(sent);
    const guesses = ["111111", "222222", "333333", "444444", "555555", "666666"].filter((g) => g !== unknownToSquatter);
    for (const guess of guesses.slice(0, 5)) {
      const wrong = await asSquatter.post(squatLink, {
        intent: "verify",
        code: guess,
        name: "Mallory",
        password: "squatter password",
      });
      expect(wrong.status).toBeGreaterThanOrEqual(400);
    }
    expect(userRow("victim@victim.example")?.password_hash).toBeNull();
    expect(isMember("Squat", "victim@victim.example")).toBe(false);

    // A real organization invites the same address; the real person gets the code from their mailbox.
    const realLink = await invite(owner, "victim@victim.example", [memberRoleIn("Acme")]);
    const victim = new Client(server.url);
    const code = readCode(await requestCode(victim, realLink, server.outboxDir));
    const joined = await victim.post(realLink, {
      intent: "verify",
      code,
      name: "Victor Victim",
      password: "my own password",
    });
    expect(joined.status).toBe(302);
    expect(joined.headers.get("location")).toBe("/");
    const home = await (await victim.get("/")).text();
    expect(home).toContain("Signed in as Victor Victim");
    expect(isMember("Acme", "victim@victim.example")).toBe(true);

    // The squatter still cannot get in: not with the password they tried, not through their link, not with a code
    // meant for another invitation. (Few password tries: the sign-in limit allows 5 per address.)
    const password = "squatter password";
    expect((await new Client(server.url).post("/login", { email: "victim@victim.example", password })).status).toBe(
      400,
    );
    expect((await asSquatter.post(squatLink, { intent: "password", password })).status).toBe(400);
    const reuse = await asSquatter.post(squatLink, { intent: "verify", code, name: "Mallory", password });
    expect(reuse.status).toBeGreaterThanOrEqual(400);
    expect(isMember("Squat", "victim@victim.example")).toBe(false);
    await signIn(server.url, "victim@victim.example", "my own password");
  });

  it("an account squatted before this change is reclaimed by the mailbox's owner, and the squatter's sessions end", async () => {
    // Seeded as the old flow left it: the squatter set the password through their own organization's link.
    const squatter = await organizationOf("squatter2@evil.example", "Squat Two");
    const squattedHash = await hashPassword("squatter password");
    withDatabase(server.databasePath, (db) => {
      const organizationId = db.prepare("select id from organizations where name = 'Squat Two'").pluck().get();
      const userId = db
        .prepare("insert into users (email, name, password_hash, created_at) values (?, 'Mallory', ?, ?)")
        .run("reclaimed@victim.example", squattedHash, Date.now()).lastInsertRowid;
      const memberId = db
        .prepare("insert into members (organization_id, user_id, created_at, joined_at) values (?, ?, ?, ?)")
        .run(organizationId, userId, Date.now(), Date.now()).lastInsertRowid;
      db.prepare("insert into member_roles (member_id, role_id) values (?, ?)").run(
        memberId,
        memberRoleIn("Squat Two"),
      );
    });
    expect(squatter).toBeDefined();
    const squatterSession = await signIn(server.url, "reclaimed@victim.example", "squatter password");
    const squatterElsewhere = await signIn(server.url, "reclaimed@victim.example", "squatter password");
    expect((await squatterSession.get("/")).status).toBe(200);
    expect(sessionsOf("reclaimed@victim.example")).toBe(2);

    const realLink = await invite(owner, "reclaimed@victim.example", [memberRoleIn("Acme")]);
    const real = new Client(server.url);
    const code = readCode(await requestCode(real, realLink, server.outboxDir));
    const joined = await real.post(realLink, {
      intent: "verify",
      code,
      name: "Rita Real",
      password: "the real password",
    });
    expect(joined.status).toBe(302);
    expect(await (await real.get("/")).text()).toContain("Signed in as Rita Real");

    expect(sessionsOf("reclaimed@victim.example")).toBe(1);
    for (const session of [squatterSession, squatterElsewhere]) {
      const response = await session.get("/");
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/login/);
    }
    const oldPassword = await new Client(server.url).post("/login", {
      email: "reclaimed@victim.example",
      password: "squatter password",
    });
    expect(oldPassword.status).toBe(400);
    await signIn(server.url, "reclaimed@victim.example", "the real password");
    expect(userRow("reclaimed@victim.example")?.name).toBe("Rita Real");
  });
});

describe("no existence oracle", () => {
  /** The page with its token, address and per-request values (CSP nonces) replaced, so only the structure is left. */
  const normalise = (html: string, path: string, address: string) =>
    html
      .replaceAll(path.split("/").pop() ?? "", "TOKEN")
      .replaceAll(address, "ADDRESS")
      .replace(/nonce="[^"]*"/g, 'nonce=""');

  async function invitationsFor(addresses: string[]) {
    const beta = await ownerIn("Oracle Beta");
    const links: Record<string, string> = {};
    for (const address of addresses) links[address] = await invite(beta, address, [memberRoleIn("Oracle Beta")]);
    return links;
  }

  it("the invitation page, a sent code and a wrong password look the same whether or not the address has an account", async () => {
    // With a password (a member elsewhere), invited but never joined (no password), and no account at all.
    await inviteAndAccept(owner, server.databasePath, "Acme", "has-account@example.com", ["Member"]);
    await invite(await ownerIn("Oracle Gamma"), "pending-only@example.com", [memberRoleIn("Oracle Gamma")]);
    const links = await invitationsFor(["has-account@example.com", "pending-only@example.com", "nobody@example.com"]);
    const emailsBefore = Object.keys(links).map((address) => emailsTo(server.outboxDir, address).length);

    for (const language of ["en", "sv"]) {
      const pages = await Promise.all(
        Object.entries(links).map(async ([address, link]) => {
          const response = await new Client(server.url).get(`${link}?lng=${language}`);
          expect(response.status).toBe(200);
          return normalise(await response.text(), link, address);
        }),
      );
      expect(pages[1], language).toBe(pages[0]);
      expect(pages[2], language).toBe(pages[0]);
    }

    const answers = await Promise.all(
      Object.entries(links).map(async ([address, link]) => {
        const client = new Client(server.url);
        const wrong = await client.post(link, { intent: "password", password: "not the password" });
        const sent = await client.post(link, { intent: "sendCode" });
        const codeStep = await client.get(sent.headers.get("location") ?? "");
        return {
          wrong: [wrong.status, normalise(await wrong.text(), link, address)],
          sent: [sent.status, normalise(sent.headers.get("location") ?? "", link, address)],
          codeStep: [codeStep.status, normalise(await codeStep.text(), link, address)],
        };
      }),
    );
    expect(answers[0]?.wrong[0]).toBe(400);
    expect(answers[0]?.sent).toEqual([302, "/invite/TOKEN?step=code"]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    for (const [index, address] of Object.keys(links).entries()) {
      const emails = emailsTo(server.outboxDir, address);
      expect(emails).toHaveLength((emailsBefore[index] ?? 0) + 1);
      for (const email of emails) readCode(email);
    }
  });

  it("an existing account proved by a code keeps its name unless a new one is typed, and gets the new password", async () => {
    const link = await invite(await ownerIn("Oracle Delta"), "has-account@example.com", [memberRoleIn("Oracle Delta")]);
    const signedInBefore = await signIn(server.url, "has-account@example.com", "a long password");
    const client = new Client(server.url);
    const code = readCode(await requestCode(client, link, server.outboxDir));
    const joined = await client.post(link, { intent: "verify", code, name: "", password: "a newer password" });
    expect(joined.status).toBe(302);
    expect(userRow("has-account@example.com")?.name).toBe("has-account");
    expect((await signedInBefore.get("/")).status).toBe(302);
    await signIn(server.url, "has-account@example.com", "a newer password");
  });

  it("a new account must be given a name, which the code then still allows", async () => {
    const link = await invite(owner, "nameless@example.com", [memberRoleIn("Acme")]);
    const client = new Client(server.url);
    const code = readCode(await requestCode(client, link, server.outboxDir));
    const unnamed = await client.post(link, { intent: "verify", code, name: " ", password: "a long password" });
    expect(unnamed.status).toBe(400);
    expect(await unnamed.text()).toContain("Enter your name: this address has no Roster account yet.");
    expect(userRow("nameless@example.com")?.password_hash).toBeNull();
    const named = await client.post(link, { intent: "verify", code, name: "Nadia", password: "a long password" });
    expect(named.status).toBe(302);
  });
});

describe("codes", () => {
  const codeRows = (address: string) =>
    withDatabase(server.databasePath, (db) =>
      db.prepare("select * from email_codes where email = ? order by id").all(address),
    ) as { id: number; code_hash: string; attempts: number; used_at: number | null; expires_at: number }[];

  it("are stored hashed, and expire after 15 minutes", async () => {
    const link = await invite(owner, "expiry@example.com", [memberRoleIn("Acme")]);
    const client = new Client(server.url);
    const code = readCode(await requestCode(client, link, server.outboxDir));
    const [row] = codeRows("expiry@example.com");
    expect(row?.code_hash).not.toContain(code);
    expect((row?.expires_at ?? 0) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect((row?.expires_at ?? 0) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    withDatabase(server.databasePath, (db) =>
      db.prepare("update email_codes set expires_at = ? where id = ?").run(Date.now() - 1, row?.id),
    );
    const expired = await client.post(link, { intent: "verify", code, name: "Late", password: "a long password" });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("This code has expired or has already been used.");
    expect(userRow("expiry@example.com")?.password_hash).toBeNull();
    // A new code works.
    const fresh = readCode(await requestCode(client, link, server.outboxDir));
    expect(
      (await client.post(link, { intent: "verify", code: fresh, name: "On time", password: "a long password" })).status,
    ).toBe(302);
  });

  it("work once", async () => {
    const address = "once@example.com";
    const link = await invite(owner, address, [memberRoleIn("Acme")]);
    const client = new Client(server.url);
    const code = readCode(await requestCode(client, link, server.outboxDir));
    const fields = {
      intent: "verify",
      code: code.replace(/^(\d{3})/, "$1 "),
      name: "Once",
      password: "a long password",
    };
    expect((await client.post(link, fields)).status).toBe(302);
    expect(codeRows(address)[0]?.used_at).toEqual(expect.any(Number));
    const again = await new Client(server.url).post(link, { ...fields, password: "another password" });
    expect(again.status).toBe(410);
    await signIn(server.url, address, "a long password");
  });

  it("stop working after 5 wrong tries; only the newest code counts", async () => {
    const address = "guess@example.com";
    const link = await invite(owner, address, [memberRoleIn("Acme")]);
    const client = new Client(server.url);
    const first = readCode(await requestCode(client, link, server.outboxDir));
    const code = readCode(await requestCode(client, link, server.outboxDir));
    const wrongCode = code === "000000" ? "000001" : "000000";
    const attempt = (value: string) =>
      client.post(link, { intent: "verify", code: value, name: "Guesser", password: "a long password" });
    if (first !== code) expect((await attempt(first)).status).toBe(400);
    while ((codeRows(address).at(-1)?.attempts ?? 0) < 4) expect((await attempt(wrongCode)).status).toBe(400);
    const fifth = await attempt(wrongCode);
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain("Too many wrong codes. Ask for a new code.");
    const right = await attempt(code);
    expect(right.status).toBe(429);
    expect(userRow(address)?.password_hash).toBeNull();
    const newCode = readCode(await requestCode(client, link, server.outboxDir));
    expect((await attempt(newCode)).status).toBe(302);
  });

  it("are sent at most 3 times an hour per invitation and 5 per address, with a translated 429", async () => {
    const address = "bombed@example.com";
    const link = await invite(owner, address, [memberRoleIn("Acme")]);
    const client = new Client(server.url);
    for (let i = 0; i < 3; i++) readCode(await requestCode(client, link, server.outboxDir));
    const limited = await client.post(`${link}?lng=sv`, { intent: "sendCode" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(await limited.text()).toContain("För många koder har begärts för den här adressen.");
    expect(emailsTo(server.outboxDir, address)).toHaveLength(3);

    // Another organization's invitation to the same address: two more, then the address's limit.
    const other = await organizationOf("bomber@example.com", "Bombers");
    const otherLink = await invite(other, address, [memberRoleIn("Bombers")]);
    for (let i = 0; i < 2; i++) readCode(await requestCode(new Client(server.url), otherLink, server.outboxDir));
    const addressLimited = await new Client(server.url).post(otherLink, { intent: "sendCode" });
    expect(addressLimited.status).toBe(429);
    expect(emailsTo(server.outboxDir, address)).toHaveLength(5);

    // Revoking and inviting again resets nothing: the address's codes still count.
    const invitationId = withDatabase(server.databasePath, (db) =>
      db
        .prepare(
          "select i.id from invitations i join organizations o on o.id = i.organization_id where o.name = 'Acme' and i.email = ?",
        )
        .pluck()
        .get(address),
    );
    expect(
      (await owner.post("/admin/members", { intent: "revokeInvitation", invitationId: String(invitationId) })).status,
    ).toBe(302);
    const again = await invite(owner, address, [memberRoleIn("Acme")]);
    expect((await new Client(server.url).post(again, { intent: "sendCode" })).status).toBe(429);
    expect(emailsTo(server.outboxDir, address)).toHaveLength(5);
  });

  it("are emailed in the language of the page they were asked from", async () => {
    const link = await invite(owner, "svensk@example.com", [memberRoleIn("Acme")]);
    const client = new Client(server.url);
    const response = await client.post(`${link}?lng=sv`, { intent: "sendCode" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/\?step=code&lng=sv$/);
    const [email] = emailsTo(server.outboxDir, "svensk@example.com");
    if (!email) throw new Error("no email");
    const code = readCode(email);
    expect(email.subject).toBe(`${code} är din kod till Roster`);
    expect(email.text).toContain("Din kod för att gå med i Acme på Roster:");
    const page = await (await client.get(response.headers.get("location") ?? "")).text();
    expect(page).toContain("Titta i din e-post");
    expect(page).toContain("Kod från mejlet");
  });

  it("never reach a log line: the server logs only that an email to the address was written", () => {
    const output = server.output();
    expect(codesSeen.size).toBeGreaterThan(10);
    expect(output).toMatch(/an email to victim@victim\.example was written to /);
    for (const code of codesSeen) expect(output).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
  });
});

describe("joining a second organization", () => {
  it("someone signed in as the invited address just confirms", async () => {
    const member = await acceptAsNewUser(
      server,
      await invite(owner, "confirm@example.com", [memberRoleIn("Acme")]),
      "Confirmer",
      "a long password",
    );
    const link = await invite(await ownerIn("Oracle Beta"), "confirm@example.com", [memberRoleIn("Oracle Beta")]);
    const page = await (await member.get(link)).text();
    expect(page).toContain("You are signed in as confirm@example.com.");
    expect(page).not.toContain('name="password"');
    expect((await member.post(link, {})).status).toBe(302);
    expect(isMember("Oracle Beta", "confirm@example.com")).toBe(true);
  });
});
