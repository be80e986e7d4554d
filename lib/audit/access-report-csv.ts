import "server-only";
import { toCsvRow } from "@/lib/csv/csv";
import { englishT } from "@/lib/i18n/english";
import type { AccessReport, AccessReportRow } from "./access-report";
import { actionLabel } from "./action-label";

const COLUMNS: ReadonlyArray<readonly [string, (r: AccessReportRow) => string | number | null]> = [
  ["time", (r) => r.at],
  ["action", (r) => r.action],
  ["action_label", (r) => actionLabel(englishT, r.action)],
  ["outcome", (r) => r.outcome],
  ["purpose", (r) => r.purpose],
  ["refusal", (r) => r.refusal],
  ["staff_id", (r) => r.staffId],
  ["staff_email", (r) => r.staffEmail],
  ["client_address", (r) => r.clientAddress],
  ["session_id", (r) => r.sessionId],
  ["request_id", (r) => r.requestId],
  ["event_seq", (r) => r.seq],
  ["event_id", (r) => r.id],
];

const ACCESS_REPORT_CSV_HEADER = COLUMNS.map(([name]) => name);

/** The report as one RFC 4180 document in English, like its column names (CRLF records, a header row, spreadsheet formulas neutralised). */
export function accessReportCsv(report: AccessReport): string {
  return toCsvRow(ACCESS_REPORT_CSV_HEADER) + report.rows.map((row) => toCsvRow(COLUMNS.map(([, cell]) => cell(row)))).join("");
}
