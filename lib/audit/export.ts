import "server-only";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import { toCsvRow } from "@/lib/csv/csv";
import { toPublicEvent } from "./present";
import { type AuditSearchFilter, eachFilteredEvent } from "./search";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// Every stored column, so an export can be re-verified against the chain (JSON columns as their hashed text).
export const CSV_COLUMNS = [
  "seq",
  "id",
  "at",
  "actor_id",
  "actor_email",
  "action",
  "targets",
  "query",
  "request_id",
  "outcome",
  "detail",
  "session_id",
  "client_address",
  "user_agent",
  "refusal",
  "purpose",
  "prev_hash",
  "hash",
] as const;

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  jsonl: "application/x-ndjson; charset=utf-8",
};

function line(format: ExportFormat, row: AuditEventRow): string {
  if (format === "jsonl") return `${JSON.stringify(toPublicEvent(row))}\n`;
  return toCsvRow(CSV_COLUMNS.map((c) => row[c]));
}

/** The filtered events, newest first, read from the store batch by batch as the client pulls. */
export function exportStream(db: Kysely<Database>, filter: AuditSearchFilter, format: ExportFormat, batchSize = 1000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = eachFilteredEvent(db, filter, batchSize);
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(toCsvRow(CSV_COLUMNS)));
      }
      // One store batch per pull keeps memory flat and lets a slow client apply backpressure.
      let text = "";
      for (let i = 0; i < batchSize; i++) {
        const next = await rows.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += line(format, next.value);
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
