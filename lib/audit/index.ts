import "server-only";
import { processScope } from "@/lib/process-scope";
import { metrics } from "@/lib/observe/metrics";
import type { Kysely } from "kysely";
import { getDb } from "../db/get-db";
import type { Database } from "../db/schema";
import { type AuditEvent, type AuditRecorder, createAuditRecorder } from "./recorder";
import type { AuditInput } from "./input";

export { type AuditInput } from "./input";
export { createAuditRecorder, type AuditEvent, type AuditRecorder } from "./recorder";

export { verifyChain } from "./verify";
export { startAuditSchedule } from "./schedule";

// One recorder (one queue, one chain writer) per process, as there is one store (lib/process-scope.ts).
// Keyed by the db so a closeDb() + reopen gets a fresh recorder instead of one bound to a closed pool.
const held = processScope("audit/index", (): { auditRecorder?: { db: Kysely<Database>; recorder: AuditRecorder } } => ({}));

/** The process-wide recorder on the process-wide store, built on first use. */
export async function getAuditRecorder(): Promise<AuditRecorder> {
  const db = await getDb();
  const current = held.auditRecorder;
  if (current?.db === db) return current.recorder;
  const recorder = createAuditRecorder(db, {
    onBatch: ({ size, ok, durationMs }) => {
      const m = metrics();
      m.auditWrite.observe({ outcome: ok ? "ok" : "error" }, durationMs / 1000);
      m.auditBatchSize.observe(size);
    },
  });
  held.auditRecorder = { db, recorder };
  return recorder;
}

/** Records one event; resolves after commit. Release customer data only after this resolves. */
export async function recordAudit(input: AuditInput): Promise<AuditEvent> {
  return (await getAuditRecorder()).record(input);
}

/** Shutdown: the recorder's queued writes commit, later records are refused. */
export async function closeAuditRecorder(): Promise<void> {
  await held.auditRecorder?.recorder.close();
}
