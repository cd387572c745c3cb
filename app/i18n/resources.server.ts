// Every translation file, read once at start-up: rendering a page must not read and parse JSON from disk each time.
import fs from "node:fs";
import path from "node:path";
import type { Resource } from "i18next";
import { SUPPORTED_LANGUAGES } from "./config";

const LOCALES_DIR = path.resolve("public/locales");

function loadResources(): Resource {
  const resources: Resource = {};
  for (const language of SUPPORTED_LANGUAGES) {
    resources[language] = {};
    for (const file of fs.readdirSync(path.join(LOCALES_DIR, language))) {
      if (!file.endsWith(".json")) continue;
      const namespace = file.slice(0, -".json".length);
      resources[language][namespace] = JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, language, file), "utf8"));
    }
  }
  return resources;
}

export const resources = loadResources();
