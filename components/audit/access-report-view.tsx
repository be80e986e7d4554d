import type { AccessReport } from "@/lib/audit/access-report";
import { actionLabel } from "@/lib/audit/action-label";
import { CUSTOMER_ACTIONS } from "@/lib/audit/actions";
import { accessReportParams, periodDays } from "@/lib/audit/access-report-request";
import type { Staff } from "@/lib/auth/session";
import { AccessReportTable } from "./access-report-table";
import { PrintButton } from "./print-button";
import { BUTTON } from "./styles";
import { interleave } from "@/lib/i18n/interleave";
import { getT } from "@/lib/locale/server";

type Props = {
  report: AccessReport;
  period: { from: Date; to: Date };
  found: { email: string; name: string } | null;
  auditor: Staff;
  generatedAt: Date;
};

/** The report as it is read on screen and printed: who it is about, which period, when and by whom it was made. */
export async function AccessReportView({ report, period, found, auditor, generatedAt }: Props) {
  const days = periodDays(period);
  const t = await getT();
  const count = report.truncated ? t("audit.report.truncatedCount", { limit: report.limit }) : t("audit.report.count", { count: report.rows.length });
  return (
    <section aria-labelledby="report-heading" className="flex flex-col gap-3">
      <h2 id="report-heading" className="text-lg font-semibold">
        {interleave(t("audit.report.heading"), { id: <span className="break-all font-mono text-base">{report.customerId}</span> })}
      </h2>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-medium">{t("audit.report.customerLabel")}</dt>
        <dd className="break-all">
          {found ? (
            <>
              {found.name} · {found.email} ·{" "}
            </>
          ) : null}
          <span className="font-mono text-xs">{report.customerId}</span>
        </dd>
        <dt className="font-medium">{t("audit.report.period")}</dt>
        <dd>
          {interleave(t("audit.report.periodValue"), {
            from: <time dateTime={report.from}>{days.from}</time>,
            to: <time dateTime={days.to}>{days.to}</time>,
          })}
        </dd>
        <dt className="font-medium">{t("audit.report.accesses")}</dt>
        <dd>{count}</dd>
        <dt className="font-medium">{t("audit.report.generated")}</dt>
        <dd>
          {interleave(t("audit.report.generatedValue", { name: auditor.name, email: auditor.email }), {
            time: <time dateTime={generatedAt.toISOString()}>{generatedAt.toISOString().replace("T", " ").slice(0, 19)}</time>,
          })}
        </dd>
        <dt className="font-medium">{t("audit.report.counted")}</dt>
        <dd>{t("audit.report.countedValue", { actions: CUSTOMER_ACTIONS.map((a) => actionLabel(t, a)).join(", ") })}</dd>
      </dl>
      {report.truncated && (
        <p role="alert" className="rounded-md border border-amber-500 p-3 text-sm">
          {t("audit.report.truncated", { limit: report.limit })}
        </p>
      )}
      <div className="flex flex-wrap gap-2 print:hidden">
        <PrintButton label={t("audit.report.print")} />
        <a href={`/api/audit/access-report?${accessReportParams(report.customerId, period, { format: "csv" }).toString()}`} className={BUTTON} download>
          {t("audit.report.csv")}
        </a>
      </div>
      <AccessReportTable rows={report.rows} caption={t("audit.report.caption", { id: report.customerId, from: days.from, to: days.to })} />
    </section>
  );
}
