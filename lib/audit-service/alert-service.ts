import "server-only";
import { audited } from "@/lib/access/gate";
import { AUDIT_READERS } from "@/lib/roles";
import { getDb } from "@/lib/db";
import type { AuditAlertRow } from "@/lib/db/schema";
import { InvalidQueryError } from "@/lib/errors";
import { acknowledgeAlert, parseAckNote } from "@/lib/audit/alert";

/**
 * An auditor (or admin: the audit pages' roles) acknowledges an alert through the gate, recorded as
 * `alert.acknowledge` with the alert and the note. Again: 409, recorded refused; another role: 403, recorded.
 */
export async function acknowledgeAlertDoor(id: string, body: unknown, requestId: string): Promise<AuditAlertRow> {
  return audited({
    action: "alert.acknowledge",
    roles: AUDIT_READERS,
    requestId,
    query: { alertId: id },
    async run(staff) {
      if (body !== null && (typeof body !== "object" || Array.isArray(body))) throw new InvalidQueryError("body must be a JSON object: { note }");
      const note = parseAckNote((body as { note?: unknown } | null)?.note);
      const alert = await acknowledgeAlert(await getDb(), { id, by: staff, note });
      return {
        value: alert,
        detail: {
          alert_id: alert.id,
          kind: alert.kind,
          subject_id: alert.subject_id,
          subject_email: alert.subject_email,
          hour: alert.hour,
          customers: alert.customers,
          alert_event_seq: alert.event_seq,
          note,
        },
      };
    },
  });
}
