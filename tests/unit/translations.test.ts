import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const localesDir = path.resolve(import.meta.dirname, "../../public/locales");

function leaves(value: unknown, prefix = ""): [string, unknown][] {
  if (typeof value !== "object" || value === null) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}/${key}` : key));
}
const keys = (tree: unknown) => leaves(tree).map(([key]) => key);

/** i18next plural keys (`_one`, `_other`) count as one key: languages may need different plural forms. */
const normalized = (list: string[]) =>
  [...new Set(list.map((key) => key.replace(/_(zero|one|two|few|many|other)$/, "")))].sort();

describe("translations", () => {
  for (const namespace of fs.readdirSync(path.join(localesDir, "en"))) {
    it(`${namespace}: Swedish and English have the same keys, none empty`, () => {
      const read = (language: string) =>
        JSON.parse(fs.readFileSync(path.join(localesDir, language, namespace), "utf8"));
      const en = read("en");
      const sv = read("sv");
      expect(normalized(keys(sv))).toEqual(normalized(keys(en)));
      for (const [language, tree] of [
        ["en", en],
        ["sv", sv],
      ] as const) {
        for (const [key, text] of leaves(tree)) {
          expect(String(text).trim(), `${language}:${key}`).not.toBe("");
        }
      }
    });
  }
});
