import Link from "next/link";
import type { AuditAlertRow } from "@/lib/db/schema";
import { AcknowledgeAlert } from "./acknowledge-alert";
import { LINK } from "./styles";
import { interleave } from "@/lib/i18n/interleave";
import { getT } from "@/lib/locale/server";

function Who({ alert, name }: { alert: AuditAlertRow; name: string }) {
  return alert.subject_id ? (
    <Link href={`/audit/staff/${encodeURIComponent(alert.subject_id)}`} className={`${LINK} font-medium`}>
      {name}
    </Link>
  ) : (
    <span className="font-medium">{name}</span>
  );
}

/** Bulk-viewing alerts: open ones with an Acknowledge button, then those acknowledged in the last 24 hours. */
export async function AlertList({ alerts }: { alerts: AuditAlertRow[] }) {
  if (alerts.length === 0) return null;
  const t = await getT();
  const hourText = (hour: string) => t("audit.alerts.hour", { hour: hour.replace("T", " ") });
  const who = (a: AuditAlertRow) => a.subject_email ?? a.subject_id ?? t("audit.alerts.unknown");
  const open = alerts.filter((a) => a.acknowledged_at === null);
  const done = alerts.filter((a) => a.acknowledged_at !== null);
  return (
    <section aria-labelledby="alerts-heading" className="flex flex-col gap-3">
      <h2 id="alerts-heading" className="text-lg font-semibold">
        {open.length > 0 ? t("audit.alerts.titleOpen", { count: open.length }) : t("audit.alerts.title")}
      </h2>
      {open.length > 0 && (
        <div role="alert" className="rounded-md border border-warning-edge bg-warning-bg p-4 text-warning-ink">
          <p className="text-sm">{t("audit.alerts.bulk")}</p>
        </div>
      )}
      <ul className="flex flex-col gap-2 text-sm" aria-label={t("audit.alerts.list")}>
        {[...open, ...done].map((a) => (
          <li
            key={a.id}
            aria-label={t("audit.alerts.item", { who: who(a), hour: hourText(a.hour) })}
            className={`flex flex-col gap-2 rounded-md border p-3 ${a.acknowledged_at ? "border-edge" : "border-warning-edge"}`}
          >
            <p>
              {interleave(
                t("audit.alerts.saw", {
                  hour: hourText(a.hour),
                  threshold: a.threshold,
                  raised: a.raised_at.slice(0, 16).replace("T", " "),
                  email: t(`audit.alerts.email.${a.email_status}`),
                  retry: a.email_status === "pending" && a.email_attempts > 0 ? t("audit.alerts.retrying", { attempts: a.email_attempts }) : "",
                }),
                { who: <Who alert={a} name={who(a)} />, count: <strong>{a.customers}</strong> },
              )}
            </p>
            {a.acknowledged_at ? (
              <p className="text-muted">
                {interleave(
                  t("audit.alerts.acknowledged", {
                    who: a.acknowledged_by_email ?? "",
                    time: a.acknowledged_at.slice(0, 16).replace("T", " "),
                    note: a.ack_note ? `: “${a.ack_note}”` : "",
                  }),
                  { label: <span className="font-medium">{t("audit.alerts.acknowledgedLabel")}</span> },
                )}
              </p>
            ) : (
              <AcknowledgeAlert id={a.id} label={`${who(a)}, ${hourText(a.hour)}`} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
