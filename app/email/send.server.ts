// Sends an email the way this server is configured: SMTP when SMTP_URL is set, otherwise into the outbox folder.
import { env } from "~/env.server";
import type { EmailMessage } from "./message";
import { writeToOutbox } from "./outbox.server";
import { sendThroughSmtp } from "./smtp.server";

/**
 * Delivers the message (to the SMTP server, or to the outbox folder). Returns false, after logging why without the
 * message's content, when it could not be delivered: the caller tells the person to try again later.
 */
export async function sendEmail(message: EmailMessage): Promise<boolean> {
  const { smtpUrl, from, outboxDir } = env.email;
  try {
    if (smtpUrl) await sendThroughSmtp(smtpUrl, from, message);
    else await writeToOutbox(outboxDir, from, message);
    return true;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`roster: could not send an email to ${message.to}: ${reason}`);
    return false;
  }
}
