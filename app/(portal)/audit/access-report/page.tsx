import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { type AccessReportFormValues, AccessReportForm } from "@/components/audit/access-report-form";
import { AccessReportView } from "@/components/audit/access-report-view";
import { CustomerMatches } from "@/components/audit/customer-matches";
import { Forbidden } from "@/components/shell/forbidden";
import { accessReportReader } from "@/lib/audit-service/access-report-gate";
import { isBlankAccessReport, rawAccessReportQuery } from "@/lib/audit/access-report-request";
import { type AccessReportState, resolveAccessReport } from "@/lib/audit-service/access-report-resolve";
import { type Staff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import { requestId } from "@/lib/http/request-id";
import { interleave } from "@/lib/i18n/interleave";
import { getT } from "@/lib/locale/server";
import { BackToAudit } from "@/components/audit/back-to-audit";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("audit.report.docTitle") };
}

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
    <section role="alert" aria-labelledby="report-problem" className="rounded-md border border-danger-edge p-3 text-sm text-danger-ink">
      <h2 id="report-problem" className="font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

async function Outcome({ state, auditor, now }: { state: AccessReportState; auditor: Staff; now: Date }) {
  const t = await getT();
  switch (state.kind) {
    case "invalid":
      return (
        <Alert title={t("audit.report.invalid")}>
          <ul className="list-disc ps-5">
            {state.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </Alert>
      );
    case "failed":
      return (
        <Alert title={t("audit.report.failed")}>
          <p>{state.error.message}</p>
          <p>{t("audit.report.failedBody")}</p>
        </Alert>
      );
    case "no-match":
      return (
        <p role="status" className="text-sm">
          {interleave(t("audit.report.noMatch"), { email: <span className="break-all font-medium">{state.email}</span> })}
        </p>
      );
    case "incomplete":
      return (
        <Alert title={t("audit.report.incompleteTitle")}>
          <p>{interleave(t("audit.report.incomplete"), { email: <span className="break-all">{state.email}</span> })}</p>
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
  const t = await getT();
  const state = isBlankAccessReport(params) ? null : await resolveAccessReport(params, rid);
  return (
    <div className="flex flex-col gap-4">
      <BackToAudit>{t("audit.report.back")}</BackToAudit>
      <h1 className="text-xl font-semibold">{t("audit.report.title")}</h1>
      <p className="max-w-3xl text-sm text-muted print:hidden">{t("audit.report.intro")}</p>
      <AccessReportForm values={formValues(params, now)} />
      {state && <Outcome state={state} auditor={auditor} now={now} />}
    </div>
  );
}
