// RFC 4180 CSV that opens cleanly in Excel and LibreOffice: UTF-8 BOM, CRLF, quoting, and no formula injection.
export type Cell = string | number | boolean | null;

const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

function escapeCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  // Most cells need neither: one test instead of two (the export writes hundreds of thousands of cells).
  if (!NEEDS_CARE.test(text)) return text;
  // A cell starting with = + - @ (or a tab/CR) is a formula to spreadsheets: keep it text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The byte order mark that tells Excel the file is UTF-8: once, before the first row. */
export const CSV_BOM = "\uFEFF";

/** One row, ending in CRLF: a file is the BOM followed by its rows (what a stream writes piece by piece). */
export function csvRow(row: Cell[]): string {
  return `${row.map(escapeCell).join(",")}\r\n`;
}
