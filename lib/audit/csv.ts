// RFC 4180 CSV, written by hand: csv-stringify is not a dependency, and this is all the export needs.

// Spreadsheets run a cell that starts with one of these as a formula (CSV/formula injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: formula starts neutralised with a leading `'`, then quoted when it holds `"`, `,`, CR or LF. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}
