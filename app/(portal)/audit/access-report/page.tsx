import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { type AccessReportFormValues, AccessReportForm } from "@/components/audit/access-report-form";
import { AccessReportView } from "@/components/audit/access-report-view";
import { CustomerMatches } from "@/components/audit/customer-matches";
import { LINK } from "@/components/audit/styles";
import { Forbidden } from "@/components/shell/forbidden";
import { accessReportReader } from "@/lib/audit-service/access-report-gate";
import { isBlankAccessReport, rawAccessReportQuery } from "@/lib/audit/access-report-request";
import { type AccessReportState, resolveAccessReport } from "@/lib/audit-service/access-report-resolve";
import { type Staff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import { requestId } from "@/lib/http/request-id";

export const metadata: Metadata = { title: "Access report" };

type SearchParams = Record<string, string | string[] | undefined>;

const DAY_MS = 86_400_000;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

// An unused form offers the last twelve months, the period most requests ask about.
function formValues(params: SearchParams, now: Date): AccessReportFormValues {
  const blank = isBlankAccessReport(params);
  return {
    customer: first(params.customer),
    from: blank ? new Date(now.getTime() - 365 * DAY_MS).toISOString().slice(0, 10) : first(params.from),
    to: blank ? now.toISOString().slice(0, 10) : first(params.to),
  };
}

function Alert({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section
      role="alert"
      aria-labelledby="report-problem"
      className="rounded-md border border-red-600 p-3 text-sm text-red-900 dark:border-red-400 dark:text-red-200"
    >
      <h2 id="report-problem" className="font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Outcome({ state, auditor, now }: { state: AccessReportState; auditor: Staff; now: Date }) {
  switch (state.kind) {
    case "invalid":
      return (
        <Alert title="This report cannot be run:">
          <ul className="list-disc ps-5">
            {state.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </Alert>
      );
    case "failed":
      return (
        <Alert title="The report could not be made">
          <p>{state.error.message}</p>
          <p>Nothing was concluded about this customer. Try again shortly.</p>
        </Alert>
      );
    case "no-match":
      return (
        <p role="status" className="text-sm">
          No customer at Devdraft has the email <span className="break-all font-medium">{state.email}</span>. Check the spelling, or ask for the customer id.
        </p>
      );
    case "incomplete":
      return (
        <Alert title="Devdraft found too many similar addresses">
          <p>
            Devdraft matches addresses that contain <span className="break-all">{state.email}</span>, and more than a page of them did; none on that page is
            exactly it. Use the customer id instead.
          </p>
        </Alert>
      );
    case "choose":
      return <CustomerMatches email={state.email} matches={state.matches} period={state.period} />;
    case "report":
      return <AccessReportView report={state.report} period={state.period} found={state.found} auditor={auditor} generatedAt={now} />;
  }
}

export default async function AccessReportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const rid = await requestId();
  let auditor: Staff;
  try {
    auditor = await accessReportReader(rid, rawAccessReportQuery(params));
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    if (err.status === 401) redirect(`/login?callbackUrl=${encodeURIComponent("/audit/access-report")}`);
    return <Forbidden what="shell.forbidden.accessReport" />;
  }
  const now = new Date();
  const state = isBlankAccessReport(params) ? null : await resolveAccessReport(params, rid);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm print:hidden">
        <Link href="/audit" className={LINK}>
          ← Audit log
        </Link>
      </p>
      <h1 className="text-xl font-semibold">Access report</h1>
      <p className="max-w-3xl text-sm text-slate-700 print:hidden dark:text-slate-300">
        Every access to one customer&apos;s data in a period, with when, by whom, from where and for what purpose: the answer to a data-subject access request
        (GDPR Art. 15) or an accounting of disclosures (HIPAA §164.528). Running it is on record.
      </p>
      <AccessReportForm values={formValues(params, now)} />
      {state && <Outcome state={state} auditor={auditor} now={now} />}
    </div>
  );
}
