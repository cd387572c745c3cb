// Sends outgoing email through the SMTP server of SMTP_URL (nodemailer), with short timeouts.
import { createTransport, type Transporter } from "nodemailer";
import type { EmailMessage } from "./message";

const transporters = new Map<string, Transporter>();

/** One pooled-per-URL transporter: a request waits at most about 10 s for the server, never minutes. */
function transporterFor(smtpUrl: string): Transporter {
  let transporter = transporters.get(smtpUrl);
  if (!transporter) {
    transporter = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transporters.set(smtpUrl, transporter);
  }
  return transporter;
}

/** Hands the message to the SMTP server; rejects when it cannot be delivered to it. */
export async function sendThroughSmtp(smtpUrl: string, from: string, message: EmailMessage): Promise<void> {
  await transporterFor(smtpUrl).sendMail({ from, ...message });
}
