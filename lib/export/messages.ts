import { EXPORT_ROW_CAP, EXPORT_TAKE } from "./types";

// What an export tells its owner, in one place so the engine, tests and UI agree on the words.

const n = (value: number) => value.toLocaleString("en-US");
const NARROW = "Narrow the filters (for example by status) and export each part.";

/** Known before the first row is written: Devdraft's total is past what skip/take can reach. */
export function capMessageBefore(total: number): string {
  return `${n(total)} customers match, but Devdraft lets an export read only the first ${n(EXPORT_ROW_CAP)}. The file will stop there. ${NARROW}`;
}

/** Known only at the end: the last reachable page was full and Devdraft sent no total. */
export const CAP_MESSAGE_AFTER = `Stopped at ${n(EXPORT_ROW_CAP)} rows, the most Devdraft lets an export read; more customers may match. ${NARROW}`;

/** The finished file of a filter set whose total was known to be past the cap. */
export function capMessageDone(total: number): string {
  return `${n(total)} customers match; the file holds the first ${n(EXPORT_ROW_CAP)}, the most Devdraft lets an export read. ${NARROW}`;
}

export function doneMessage(rows: number, pages: number, capNote: string | null): string {
  const done = `${n(rows)} rows in ${pages} pages.`;
  return capNote ? `${done} ${capNote}` : done;
}

export function cancelledMessage(rows: number, pages: number): string {
  return `Cancelled after ${n(rows)} rows (${pages} ${pages === 1 ? "page" : "pages"}). No file was kept.`;
}

export function failedMessage(rows: number, pages: number, reason: string): string {
  const where = `after ${n(rows)} rows, at page ${pages + 1} (rows from ${n(pages * EXPORT_TAKE + 1)})`;
  return `The export stopped ${where}: ${reason}. No file is offered; start it again.`;
}

export function auditFailedMessage(rows: number): string {
  return `All ${n(rows)} rows were read, but the audit record could not be written, so no file is offered. Start it again.`;
}

export const DOWNLOADED_NOTE = "The file was downloaded and deleted from the server.";

export const downloadedGoneMessage = "This export's file was downloaded and deleted from the server; start the export again for a new copy.";

/** A finished file past EXPORT_TTL: deleted, the job kept as a record. */
export function expiredMessage(ttlMs: number): string {
  const minutes = Math.round(ttlMs / 60_000);
  const kept = minutes % 60 === 0 ? `${minutes / 60} ${minutes === 60 ? "hour" : "hours"}` : `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  return `This export's file expired: files are kept for ${kept} after they finish, then deleted from the server. Start the export again for a new copy.`;
}
