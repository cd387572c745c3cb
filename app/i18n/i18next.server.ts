// Server-side i18next: picks the language (?lng= → cookie lng → Accept-Language → English).
import { RemixI18Next } from "remix-i18next/server";
import config, { FALLBACK_LANGUAGE, isLanguage, type Language, SUPPORTED_LANGUAGES } from "./config";
import { resources } from "./resources.server";

const LANGUAGE_COOKIE = "lng";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The plain `lng` cookie value (e.g. `lng=sv`), so it stays readable by people and tools. */
function languageFromCookie(request: Request): Language | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === LANGUAGE_COOKIE && isLanguage(value)) return value;
  }
  return null;
}

export function serializeLanguageCookie(language: Language): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
}

export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: FALLBACK_LANGUAGE,
    order: ["searchParams", "custom", "header"],
    findLocale: async (request) => languageFromCookie(request),
  },
  i18next: { ...config, resources },
});
