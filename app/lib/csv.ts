// RFC 4180 CSV that opens cleanly in Excel and LibreOffice: UTF-8 BOM, CRLF, quoting, and no formula injection.
type Cell = string | number | boolean | null;

function escapeCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  // A cell starting with = + - @ (or a tab/CR) is a formula to spreadsheets: keep it text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: Cell[][]): string {
  return `\uFEFF${rows.map((row) => row.map(escapeCell).join(",")).join("\r\n")}\r\n`;
}
