// Parses database ids submitted in forms and URLs; anything that is not a positive integer is refused.
export const ID_PATTERN = /^[1-9]\d{0,15}$/;

/**
 * The most ids one list may hold: a page submits at most 50, and a statement built from a list binds one SQL
 * variable per id (SQLite refuses more than 32,766).
 */
export const MAX_IDS = 1_000;

export function parseId(value: FormDataEntryValue | string | null | undefined): number | null {
  return typeof value === "string" && ID_PATTERN.test(value) ? Number(value) : null;
}
