import "server-only";
import type { AuditInput } from "@/lib/audit/input";

export type ExportAuditRecord = {
  actor: { id: string; email: string };
  ids: readonly string[];
  query: Record<string, unknown>;
  requestId: string;
  purpose?: string | null;
  detail: { rows: number; pages: number; truncatedAtCap: boolean; format: string; grantId?: string };
};

export type RecordAudit = (input: AuditInput) => Promise<unknown>;

/** The export's one `customers.export` event, with every id exported; resolves once it is written. */
export async function recordExportAudit(record: RecordAudit, entry: ExportAuditRecord): Promise<void> {
  await record({
    actor: entry.actor,
    action: "customers.export",
    targets: [...entry.ids],
    query: entry.query,
    requestId: entry.requestId,
    outcome: "ok",
    purpose: entry.purpose ?? null,
    detail: entry.detail,
  });
}
