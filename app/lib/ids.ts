// Parses database ids submitted in forms and URLs; anything that is not a positive integer is refused.
export const ID_PATTERN = /^[1-9]\d{0,15}$/;

export function parseId(value: FormDataEntryValue | string | null | undefined): number | null {
  return typeof value === "string" && ID_PATTERN.test(value) ? Number(value) : null;
}

/** All values of a repeated field as ids, or null if any of them is not one. */
export function parseIdList(formData: FormData, name: string): number[] | null {
  const ids = formData.getAll(name).map(parseId);
  return ids.every((id) => id !== null) ? (ids as number[]) : null;
}
