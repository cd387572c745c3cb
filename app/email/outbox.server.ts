// Writes outgoing email to a folder as .eml files instead of sending it (development, tests, SMTP_URL unset).
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { createTransport } from "nodemailer";
import type { EmailMessage } from "./message";

// nodemailer builds the raw message without sending it: the file is what an SMTP server would have received.
const composer = createTransport({ streamTransport: true, buffer: true, newline: "unix" });
// File names sort in the order messages were written, even within one millisecond.
let sequence = 0;

/**
 * Writes the message into `outboxDir` as `<time>-<sequence>-<random>.eml` (openable in any mail program) and logs one line that
 * says to whom: never the message itself, which may hold a one-time code. Returns the file's path.
 */
export async function writeToOutbox(
  outboxDir: string,
  from: string,
  message: EmailMessage,
  now = Date.now(),
): Promise<string> {
  const info = await composer.sendMail({ from, ...message });
  await fs.mkdir(outboxDir, { recursive: true, mode: 0o700 });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
  sequence = (sequence + 1) % 1_000_000;
  const file = path.join(
    outboxDir,
    `${stamp}-${String(sequence).padStart(6, "0")}-${randomBytes(3).toString("hex")}.eml`,
  );
  await fs.writeFile(file, info.message, { mode: 0o600, flag: "wx" });
  console.log(`roster: an email to ${message.to} was written to ${file} (SMTP_URL is not set)`);
  return file;
}
