import { stringify } from "csv-stringify/sync";

/** Excel reads a UTF-8 file as UTF-8 only when it starts with this byte-order mark. */
export const UTF8_BOM = "\uFEFF";

export type CsvCell = string | number | null | undefined;

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text that a spreadsheet would evaluate gets a leading `'`; a finite number is data, never a formula. */
function neutralise(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One CRLF-terminated RFC 4180 record (quoting by csv-stringify), every cell neutralised first. */
export function toCsvRow(cells: readonly CsvCell[]): string {
  // A lone CR or LF must be quoted too, not only the CRLF record delimiter.
  return stringify([cells.map(neutralise)], { record_delimiter: "windows", quoted_match: /[\r\n]/ });
}
