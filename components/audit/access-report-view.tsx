import type { AccessReport } from "@/lib/audit/access-report";
import { CUSTOMER_ACTIONS, actionLabel } from "@/lib/audit/actions";
import { accessReportParams, periodDays } from "@/lib/audit/access-report-request";
import type { Staff } from "@/lib/auth/session";
import { AccessReportTable } from "./access-report-table";
import { PrintButton } from "./print-button";
import { BUTTON } from "./styles";

const number = new Intl.NumberFormat("en-US");

type Props = {
  report: AccessReport;
  period: { from: Date; to: Date };
  found: { email: string; name: string } | null;
  auditor: Staff;
  generatedAt: Date;
};

/** The report as it is read on screen and printed: who it is about, which period, when and by whom it was made. */
export function AccessReportView({ report, period, found, auditor, generatedAt }: Props) {
  const days = periodDays(period);
  const count = report.truncated
    ? `More than ${number.format(report.limit)} (the first ${number.format(report.limit)} are listed)`
    : number.format(report.rows.length);
  return (
    <section aria-labelledby="report-heading" className="flex flex-col gap-3">
      <h2 id="report-heading" className="text-lg font-semibold">
        Accesses to customer <span className="break-all font-mono text-base">{report.customerId}</span>
      </h2>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-medium">Customer</dt>
        <dd className="break-all">
          {found ? (
            <>
              {found.name} · {found.email} ·{" "}
            </>
          ) : null}
          <span className="font-mono text-xs">{report.customerId}</span>
        </dd>
        <dt className="font-medium">Period (UTC)</dt>
        <dd>
          <time dateTime={report.from}>{days.from}</time> to <time dateTime={days.to}>{days.to}</time>, both days included
        </dd>
        <dt className="font-medium">Accesses</dt>
        <dd>{count}</dd>
        <dt className="font-medium">Generated</dt>
        <dd>
          <time dateTime={generatedAt.toISOString()}>{generatedAt.toISOString().replace("T", " ").slice(0, 19)} UTC</time> by {auditor.name} ({auditor.email})
        </dd>
        <dt className="font-medium">Counted as an access</dt>
        <dd>{CUSTOMER_ACTIONS.map(actionLabel).join(", ")}; refused and failed attempts included.</dd>
      </dl>
      {report.truncated && (
        <p role="alert" className="rounded-md border border-amber-500 p-3 text-sm">
          This period holds more than {number.format(report.limit)} accesses. Choose a shorter period to see all of them.
        </p>
      )}
      <div className="flex flex-wrap gap-2 print:hidden">
        <PrintButton />
        <a href={`/api/audit/access-report?${accessReportParams(report.customerId, period, { format: "csv" }).toString()}`} className={BUTTON} download>
          Download CSV
        </a>
      </div>
      <AccessReportTable rows={report.rows} caption={`Accesses to customer ${report.customerId} from ${days.from} to ${days.to}, oldest first`} />
    </section>
  );
}
