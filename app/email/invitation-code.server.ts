// The email that carries a one-time code to an invited address, in the language of the page it was asked from.
import { i18next } from "~/i18n/i18next.server";
import type { EmailMessage } from "./message";

/** The code email for an invitation to `organizationName`; plain text, the code alone on its own line. */
export async function invitationCodeEmail({
  to,
  code,
  organizationName,
  validMinutes,
  locale,
}: {
  to: string;
  code: string;
  organizationName: string;
  validMinutes: number;
  locale: string;
}): Promise<EmailMessage> {
  const t = await i18next.getFixedT(locale);
  return {
    to,
    subject: t("invitationCodeEmail.subject", { code }),
    text: [
      t("invitationCodeEmail.intro", { organization: organizationName }),
      code,
      t("invitationCodeEmail.validity", { minutes: validMinutes }),
      t("invitationCodeEmail.ignore"),
      "— Roster",
    ].join("\n\n"),
  };
}
