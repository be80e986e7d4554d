"use client";

import { EXPORT_ROW_CAP, type ExportProgress as Progress } from "@/lib/export/types";

const number = (n: number) => n.toLocaleString("en-US");

/** `95 s` → `about 2 min`; under a minute in seconds. */
function timeLeft(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/** A running export: a bar when the total is known, an indeterminate one with a label otherwise. */
export function ExportProgress({ job }: { job: Progress }) {
  const max = job.total === null ? null : Math.min(job.total, EXPORT_ROW_CAP);
  const counts = `${number(job.rows)} rows, ${job.pages} ${job.pages === 1 ? "page" : "pages"} so far`;
  const eta = job.etaMs === null ? null : job.total === null ? `at most ${timeLeft(job.etaMs)} left` : `about ${timeLeft(job.etaMs)} left`;
  const percent = max ? Math.min(100, Math.round((job.rows / max) * 100)) : null;
  return (
    <div className="flex flex-col gap-1">
      <div
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={max === null ? undefined : 0}
        aria-valuemax={max ?? undefined}
        aria-valuenow={max === null ? undefined : job.rows}
        aria-valuetext={max === null ? `${counts} (total not known)` : `${number(job.rows)} of ${number(max)} rows`}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={`h-full rounded-full bg-sky-700 dark:bg-sky-400 ${percent === null ? "w-1/3 animate-pulse motion-reduce:animate-none" : ""}`}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {counts}
        {max !== null && ` of ${number(max)}`}
        {eta && ` · ${eta}`}
      </p>
    </div>
  );
}
