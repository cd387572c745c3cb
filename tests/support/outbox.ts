// Reads the emails a test server wrote to its outbox folder (EMAIL_OUTBOX_DIR) instead of sending them.
import fs from "node:fs";
import path from "node:path";

export interface OutboxEmail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** The outbox a server uses by default: a folder beside its database. */
export function outboxBeside(databasePath: string): string {
  return path.join(path.dirname(databasePath), "outbox");
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), as nodemailer writes non-ASCII headers. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, data: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQuotedPrintable(data.replace(/_/g, " ")),
    );
}

function decodeQuotedPrintable(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

export function parseEmail(file: string): OutboxEmail {
  const raw = fs.readFileSync(file, "utf8");
  const split = raw.indexOf("\n\n");
  const headerBlock = raw.slice(0, split).replace(/\n[ \t]+/g, " ");
  const body = raw.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of headerBlock.split("\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = headers.get("content-transfer-encoding")?.toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(body)
      : encoding === "base64"
        ? Buffer.from(body, "base64").toString("utf8")
        : body;
  return { file, to: decodeHeader(headers.get("to") ?? ""), subject: decodeHeader(headers.get("subject") ?? ""), text };
}

/** Every email in the outbox, oldest first (the file names sort by the time they were written). */
export function readOutbox(outboxDir: string): OutboxEmail[] {
  if (!fs.existsSync(outboxDir)) return [];
  return fs
    .readdirSync(outboxDir)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => parseEmail(path.join(outboxDir, name)));
}

/** The emails to an address, oldest first. */
export function emailsTo(outboxDir: string, address: string): OutboxEmail[] {
  return readOutbox(outboxDir).filter((email) => email.to.toLowerCase().includes(address.toLowerCase()));
}

/** The one-time code in a code email: six digits alone on a line. */
export function codeIn(email: OutboxEmail): string {
  const code = /^(\d{6})$/m.exec(email.text)?.[1];
  if (!code) throw new Error(`no code in the email ${email.file}:\n${email.text}`);
  return code;
}
