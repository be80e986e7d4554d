// RFC 4180 rows by hand for now; `csv-stringify` is not installed (see the export's notes).

/** Excel reads a UTF-8 file as UTF-8 only when it starts with this byte-order mark. */
export const UTF8_BOM = "\uFEFF";

export type CsvCell = string | number | null | undefined;

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text that a spreadsheet would evaluate gets a leading `'`; a finite number is data, never a formula. */
export function neutralise(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CRLF-terminated record: every cell neutralised, then quoted when it holds `"`, `,`, CR or LF. */
export function toCsvRow(cells: readonly CsvCell[]): string {
  return `${cells.map((cell) => quote(neutralise(cell))).join(",")}\r\n`;
}
