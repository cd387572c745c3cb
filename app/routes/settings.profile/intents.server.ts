// The profile page's action, one handler per intent: the member changes their own name, password or language.
import { clientAddress } from "~/auth/client-address.server";
import { rateLimitedReply } from "~/auth/rate-limited-reply.server";
import { endOtherSessions, type MemberContext } from "~/auth/session.server";
import { checkCurrentPassword } from "~/auth/sign-in.server";
import { serializeLanguageCookie } from "~/i18n/i18next.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { replyFailure } from "~/lib/forms.server";
import { setPassword, updateUserLocale, updateUserName } from "~/users/users.server";
import type { ProfileIntent } from "./intents";

export async function handleProfileIntent(
  request: Request,
  { user, sessionId }: MemberContext,
  submitted: ProfileIntent,
) {
  switch (submitted.intent) {
    case "name":
      updateUserName(user.id, submitted.name);
      return redirectWithFlash(request, { key: "profile.nameSaved" });
    case "password": {
      const current = await checkCurrentPassword(user, submitted.currentPassword, clientAddress(request));
      if (current.status === "rateLimited") {
        return rateLimitedReply(current.retryAfterMs, { intent: "password", field: "currentPassword" });
      }
      if (current.status === "invalid") {
        return replyFailure({
          intent: "password",
          formId: "password",
          fieldErrors: { currentPassword: { key: "profile.wrongPassword" } },
        });
      }
      await setPassword(user.id, submitted.newPassword);
      // A changed password signs the account out everywhere else.
      endOtherSessions(user.id, sessionId);
      return redirectWithFlash(request, { key: "profile.passwordSaved" });
    }
    case "language":
      updateUserLocale(user.id, submitted.language);
      return redirectWithFlash(
        request,
        { key: "profile.languageSaved" },
        { headers: { "Set-Cookie": serializeLanguageCookie(submitted.language) } },
      );
  }
}
