import "server-only";
import { services } from "@/lib/service-slot";
import type { AuditEvent, AuditRecorder } from "./recorder";
import type { AuditInput } from "./input";

export { type AuditInput } from "./input";
export { createAuditRecorder, type AuditEvent, type AuditRecorder } from "./recorder";

export { verifyChain } from "./verify";

/** The audit's part of the services lib/services.ts builds (lib/service-slot.ts). */
export type RecorderServices = {
  /** One recorder (one queue, one chain writer) per process, on the process's store. */
  recorder: () => Promise<AuditRecorder>;
};

/** Records one event; resolves after commit. Release customer data only after this resolves. */
export async function recordAudit(input: AuditInput): Promise<AuditEvent> {
  return (await services<RecorderServices>().recorder()).record(input);
}
