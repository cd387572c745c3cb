import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The explanation for a status when the error names no reason of its own (errorPage.<reason> in the translations). */
const REASON_BY_STATUS: Record<number, string> = {
  403: "permission",
  404: "notFound",
  405: "method",
  413: "tooLarge",
  429: "tooManyRequests",
};

/** What a person sees when a page cannot be shown: a translated explanation, never a stack trace. */
export function ErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  let status = 500;
  let reason = "serverError";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const data: unknown = error.data;
    reason =
      typeof data === "object" && data !== null && "reason" in data && typeof data.reason === "string"
        ? data.reason
        : (REASON_BY_STATUS[status] ?? (status >= 500 ? "serverError" : "badRequest"));
  } else {
    console.error(error);
  }
  return (
    <main className="page error-page">
      <h1>{t(`errorPage.${reason}.title`, { defaultValue: t("errorPage.badRequest.title") })}</h1>
      <p>{t(`errorPage.${reason}.body`, { defaultValue: t("errorPage.badRequest.body") })}</p>
      <p className="muted">{t("errorPage.status", { status })}</p>
      <p>
        <Link to="/">{t("errorPage.home")}</Link>
      </p>
    </main>
  );
}
