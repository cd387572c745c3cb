// How Roster sends its emails (decision 010): through SMTP when SMTP_URL is set (tested against a local SMTP server on
// 127.0.0.1), a translated "try again" when the server refuses, and no start in production with nowhere to send them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { invite, roleId } from "../support/members";
import { parseEmail } from "../support/outbox";
import { freePort, makeDataDir, projectRoot, SESSION_SECRET, startServer, type TestServer } from "../support/server";

interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** A local SMTP server (no TLS, login required) that keeps what it receives and refuses recipients at refused.example. */
async function startSmtpServer() {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "roster" && auth.password === "mail secret") callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith("@refused.example")) callback(new Error("Mailbox unavailable"));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: typeof session.user === "string" ? session.user : undefined,
          raw: Buffer.concat(chunks).toString("utf8").replace(/\r\n/g, "\n"),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("sending through SMTP", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let app: TestServer;
  let owner: Client;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startServer({
      env: {
        SMTP_URL: `smtp://roster:mail%20secret@127.0.0.1:${smtp.port}`,
        EMAIL_FROM: "Roster <roster@example.com>",
        EMAIL_OUTBOX_DIR: "",
      },
    });
    owner = await setUpOrganization(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await smtp.close();
  });

  /** The code in a raw message from the SMTP server, decoded the way the outbox reader decodes files. */
  function codeFrom(raw: string): string {
    const file = path.join(app.dataDir, "received.eml");
    fs.writeFileSync(file, raw);
    const code = /^(\d{6})$/m.exec(parseEmail(file).text)?.[1];
    if (!code) throw new Error(`no code in:\n${raw}`);
    return code;
  }

  it("delivers the code to the invited address, signed in with SMTP_URL's credentials, and the code works", async () => {
    const link = await invite(owner, "smtp-joiner@example.com", [roleId(app.databasePath, "Acme", "Member")]);
    const client = new Client(app.url);
    const sent = await client.post(link, { intent: "sendCode" });
    expect(sent.status).toBe(302);
    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message).toMatchObject({ from: "roster@example.com", to: ["smtp-joiner@example.com"], user: "roster" });
    const code = codeFrom(message?.raw ?? "");
    const joined = await client.post(link, { intent: "verify", code, name: "Sam Smtp", password: "a long password" });
    expect(joined.status).toBe(302);
    expect(fs.existsSync(path.join(app.dataDir, "outbox"))).toBe(false);
    expect(app.output()).not.toContain(code);
    expect(app.output()).not.toContain("mail secret");
  });

  it("says the email could not be sent when the SMTP server refuses it, and logs why without the code", async () => {
    const link = await invite(owner, "someone@refused.example", [roleId(app.databasePath, "Acme", "Member")]);
    const response = await new Client(app.url).post(link, { intent: "sendCode" });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("The email could not be sent. Try again in a few minutes.");
    expect(app.output()).toMatch(/could not send an email to someone@refused\.example: .*Mailbox unavailable/);
  });
});

describe("where emails go when there is no SMTP server", () => {
  it("production refuses to start without SMTP_URL unless an outbox folder is set explicitly", async () => {
    await expect(startServer({ env: { EMAIL_OUTBOX_DIR: "" } })).rejects.toThrow(/SMTP_URL is required in production/);
    await expect(startServer({ env: { SMTP_URL: "smtp://127.0.0.1:2525", EMAIL_OUTBOX_DIR: "" } })).rejects.toThrow(
      /EMAIL_FROM is required with SMTP_URL/,
    );
    await expect(startServer({ env: { SMTP_URL: "http://mail.example" } })).rejects.toThrow(
      /SMTP_URL: must start with smtp:\/\/ or smtps:\/\//,
    );
  });

  it("npm start refuses to start on Fly without SMTP_URL", () => {
    const dataDir = makeDataDir();
    const result = spawnSync(process.execPath, [path.join(projectRoot, "scripts/start.js")], {
      cwd: projectRoot,
      env: {
        ...process.env,
        FLY_APP_NAME: "roster-test",
        SESSION_SECRET,
        DATABASE_PATH: path.join(dataDir, "roster.db"),
        SMTP_URL: "",
        EMAIL_OUTBOX_DIR: "",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("SMTP_URL is not set");
    expect(fs.existsSync(path.join(dataDir, "roster.db"))).toBe(false);
  });
});
