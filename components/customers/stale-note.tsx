"use client";

import { interleave } from "@/lib/i18n/interleave";
import { useT } from "@/lib/i18n/client";

/** The time of day in UTC (12:03:41), the same in the server's HTML and the browser's. */
function timeOfDay(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/** Shown above rows served from the cache because Devdraft is not answering (issue 16, point 5). */
export function StaleNote({ asOf }: { asOf: string }) {
  const t = useT();
  return (
    <p role="note" aria-label={t("customers.stale")} className="rounded-md border border-warning-edge bg-warning-bg px-3 py-2 text-sm text-warning-ink">
      {interleave(t("customers.staleNote"), { time: <time dateTime={asOf}>{timeOfDay(asOf)}</time> })}
    </p>
  );
}
