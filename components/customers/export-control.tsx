"use client";

import { useState } from "react";
import { ReasonDialog } from "@/components/access/reason-dialog";
import { useStepUp } from "@/components/session/step-up";
import type { AccessReason } from "@/lib/access/reasons";
import type { CustomersQuery } from "@/lib/contract/query";
import { EXPORT_ROW_CAP } from "@/lib/export/types";
import { cancelExportRequest, startExportRequest, useExportAccess, useExportJob } from "@/lib/export/use-export";
import { ExportProgress } from "./export-progress";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { describeFilters } from "./describe-query";
import { buttonClass } from "@/components/ui/button";

const BUTTON = buttonClass("inherit");
const NOTE = "rounded-md border px-3 py-2 text-sm";

function describe(query: { status?: string; name?: string; email?: string }, t: Translate<Key>): string {
  return describeFilters(query, t) ?? t("customers.describe.allLower");
}

/** Export the current filters to CSV (admins only; others see nothing of it). */
export function ExportControl({ query }: { query: CustomersQuery }) {
  const t = useT();
  const access = useExportAccess();
  const [startedId, setJobId] = useState<string | null>(null);
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // After a reload, this staff member's latest export until they start another.
  const jobId = startedId ?? access.exports.at(-1)?.id ?? null;
  const { data: job, mutate, error: pollError } = useExportJob(jobId);
  const { guarded, dialog } = useStepUp();

  if (!access.allowed) return null;
  const running = job?.status === "running";

  // Asked from the reason dialog: its problem (the server's refusal, a running export) is shown there.
  const start = async (reason: AccessReason): Promise<string | null> => {
    setBusy(true);
    setProblem(null);
    try {
      const started = await startExportRequest({ status: query.status, name: query.name, email: query.email, bom, ...reason }, guarded);
      setAsking(false);
      setJobId(started.id);
      await mutate(started, { revalidate: false });
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : t("export.notStarted");
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!jobId) return;
    setBusy(true);
    try {
      await mutate(await cancelExportRequest(jobId), { revalidate: false });
    } catch (err) {
      setProblem(err instanceof Error ? err.message : t("export.notCancelled"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="export-heading" className="flex flex-col gap-2 rounded-md border border-edge px-3 py-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="export-heading" className="text-base font-semibold">
          {t("export.title")}
        </h2>
        {!running && (
          <>
            <button type="button" className={BUTTON} onClick={() => setAsking(true)} disabled={busy} aria-haspopup="dialog">
              {t("export.csv")}
            </button>
            <label className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} />
              {t("export.bom")}
            </label>
            <p className="text-sm text-muted">{t("export.scope", { what: describe(query, t), cap: EXPORT_ROW_CAP })}</p>
          </>
        )}
        {running && (
          <button type="button" className={BUTTON} onClick={() => void cancel()} disabled={busy}>
            {t("export.cancel")}
          </button>
        )}
        <ReasonDialog
          open={asking}
          title={t("export.dialogTitle")}
          description={t("export.why", { what: describe(query, t) })}
          submitLabel={t("export.start")}
          onSubmit={start}
          onClose={() => setAsking(false)}
        />
        {dialog}
      </div>
      <div role="status" className="flex flex-col gap-2">
        {job && running && (
          <>
            <p className="text-sm">{t("export.exporting", { what: describe(job.query, t) })}</p>
            <ExportProgress job={job} />
          </>
        )}
        {job?.capped && job.message && <p className={`${NOTE} border-warning-edge bg-warning-bg text-warning-ink`}>{job.message}</p>}
        {job?.status === "done" && (
          <div className="flex flex-wrap items-center gap-3 text-sm">
            {!job.capped && <p>{t("export.finished", { what: describe(job.query, t), message: job.message ?? "" })}</p>}
            {job.fileReady ? (
              <a
                href={`/api/exports/${job.id}/file`}
                download
                onClick={() => setTimeout(() => void mutate(), 1_500)}
                className="rounded-md bg-sky-800 px-3 py-1.5 font-medium text-white hover:bg-sky-900 dark:bg-sky-300 dark:text-slate-950"
              >
                {t("export.download")}
              </a>
            ) : (
              <p>{t("export.gone")}</p>
            )}
          </div>
        )}
        {(job?.status === "cancelled" || job?.status === "expired") && <p className="text-sm">{job.message}</p>}
      </div>
      {(job?.status === "failed" || problem || pollError) && (
        <p role="alert" className={`${NOTE} border-danger-edge bg-danger-bg text-danger-ink`}>
          {problem ?? (job?.status === "failed" ? job.message : t("export.unreadable"))}
        </p>
      )}
    </section>
  );
}
