import Link from "next/link";
import type { AuditAlertRow } from "@/lib/db/schema";
import { AcknowledgeAlert } from "./acknowledge-alert";
import { LINK } from "./styles";

const EMAIL_STATE: Record<AuditAlertRow["email_status"], string> = {
  off: "e-mail off",
  pending: "e-mail queued",
  sending: "e-mail sending",
  sent: "e-mailed",
};

function hourText(hour: string): string {
  return `${hour.replace("T", " ")}:00–:59 UTC`;
}

function Who({ alert }: { alert: AuditAlertRow }) {
  const name = alert.subject_email ?? alert.subject_id ?? "unknown";
  return alert.subject_id ? (
    <Link href={`/audit/staff/${encodeURIComponent(alert.subject_id)}`} className={`${LINK} font-medium`}>
      {name}
    </Link>
  ) : (
    <span className="font-medium">{name}</span>
  );
}

/** Bulk-viewing alerts: open ones with an Acknowledge button, then those acknowledged in the last 24 hours. */
export function AlertList({ alerts }: { alerts: AuditAlertRow[] }) {
  if (alerts.length === 0) return null;
  const open = alerts.filter((a) => a.acknowledged_at === null);
  const done = alerts.filter((a) => a.acknowledged_at !== null);
  return (
    <section aria-labelledby="alerts-heading" className="flex flex-col gap-3">
      <h2 id="alerts-heading" className="text-lg font-semibold">
        Alerts{open.length > 0 ? ` (${open.length} open)` : ""}
      </h2>
      {open.length > 0 && (
        <div
          role="alert"
          className="rounded-md border border-amber-600 bg-amber-50 p-4 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
        >
          <p className="text-sm">Bulk viewing: these staff members saw more distinct customers within one UTC hour than the threshold allows.</p>
        </div>
      )}
      <ul className="flex flex-col gap-2 text-sm" aria-label="Bulk-viewing alerts">
        {[...open, ...done].map((a) => (
          <li
            key={a.id}
            aria-label={`Alert: ${a.subject_email ?? a.subject_id ?? "unknown"}, ${hourText(a.hour)}`}
            className={`flex flex-col gap-2 rounded-md border p-3 ${a.acknowledged_at ? "border-slate-300 dark:border-slate-700" : "border-amber-600 dark:border-amber-400"}`}
          >
            <p>
              <Who alert={a} /> saw <strong>{a.customers}</strong> distinct customers between {hourText(a.hour)} (threshold {a.threshold}). Raised{" "}
              {a.raised_at.slice(0, 16).replace("T", " ")} UTC · {EMAIL_STATE[a.email_status]}
              {a.email_status === "pending" && a.email_attempts > 0 ? ` (attempt ${a.email_attempts} failed, retrying)` : ""}.
            </p>
            {a.acknowledged_at ? (
              <p className="text-slate-700 dark:text-slate-300">
                <span className="font-medium">Acknowledged</span> by {a.acknowledged_by_email} at {a.acknowledged_at.slice(0, 16).replace("T", " ")} UTC
                {a.ack_note ? `: “${a.ack_note}”` : ""}
              </p>
            ) : (
              <AcknowledgeAlert id={a.id} label={`${a.subject_email ?? a.subject_id ?? "unknown"}, ${hourText(a.hour)}`} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
