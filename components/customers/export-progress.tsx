"use client";

import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { EXPORT_ROW_CAP, type ExportProgress as Progress } from "@/lib/export/types";

/** `95 s` → `2 min` (rounded up); under a minute in seconds. */
function timeLeft(ms: number, t: Translate<Key>): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? t("export.seconds", { n: seconds }) : t("export.minutes", { n: Math.ceil(seconds / 60) });
}

/** A running export: a bar when the total is known, an indeterminate one with a label otherwise. */
export function ExportProgress({ job }: { job: Progress }) {
  const t = useT();
  const max = job.total === null ? null : Math.min(job.total, EXPORT_ROW_CAP);
  const counts = t("export.counts", { rows: job.rows, count: job.pages });
  const eta = job.etaMs === null ? null : t(job.total === null ? "export.atMost" : "export.about", { left: timeLeft(job.etaMs, t) });
  const percent = max ? Math.min(100, Math.round((job.rows / max) * 100)) : null;
  return (
    <div className="flex flex-col gap-1">
      <div
        role="progressbar"
        aria-label={t("export.progress")}
        aria-valuemin={max === null ? undefined : 0}
        aria-valuemax={max ?? undefined}
        aria-valuenow={max === null ? undefined : job.rows}
        aria-valuetext={max === null ? t("export.unknownTotal", { counts }) : t("export.rowsOf", { rows: job.rows, max })}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={`h-full rounded-full bg-sky-700 dark:bg-sky-400 ${percent === null ? "w-1/3 animate-pulse motion-reduce:animate-none" : ""}`}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="text-sm text-muted">
        {counts}
        {max !== null && t("export.ofMax", { max })}
        {eta && ` · ${eta}`}
      </p>
    </div>
  );
}
