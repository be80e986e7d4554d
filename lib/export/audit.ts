import "server-only";
import type { AuditInput } from "@/lib/audit/input";

/**
 * Most customer ids one audit event holds. The store refuses more than 1000 targets and any
 * `targets` JSON over 16,384 characters (lib/audit/recorder.ts), about 420 UUIDs; until that
 * limit is raised for `customers.export`, one export is recorded as numbered parts (`part`/`parts`
 * in detail) queued together so group commit writes them in one transaction.
 */
export const TARGETS_PER_EVENT = 400;

export type ExportAuditRecord = {
  actor: { id: string; email: string };
  ids: readonly string[];
  query: Record<string, unknown>;
  requestId: string;
  detail: { rows: number; pages: number; truncatedAtCap: boolean; format: string };
};

export type RecordAudit = (input: AuditInput) => Promise<unknown>;

/** The export's `customers.export` record, with every id exported; resolves once all of it is written. */
export async function recordExportAudit(record: RecordAudit, entry: ExportAuditRecord): Promise<void> {
  const parts: string[][] = [];
  for (let i = 0; i < entry.ids.length; i += TARGETS_PER_EVENT) parts.push(entry.ids.slice(i, i + TARGETS_PER_EVENT));
  if (parts.length === 0) parts.push([]);
  // Called synchronously one after another so the recorder queues them into the same batch.
  const writes = parts.map((targets, i) =>
    record({
      actor: entry.actor,
      action: "customers.export",
      targets,
      query: entry.query,
      requestId: entry.requestId,
      outcome: "ok",
      detail: { ...entry.detail, part: i + 1, parts: parts.length },
    }),
  );
  await Promise.all(writes);
}
