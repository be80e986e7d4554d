import Link from "next/link";
import type { BulkViewer } from "@/lib/audit/alert";
import { LINK } from "./styles";

/** Staff flagged for seeing more distinct customers in an hour than the threshold allows. */
export function BulkViewAlert({ viewers, threshold }: { viewers: BulkViewer[]; threshold: number }) {
  if (viewers.length === 0) return null;
  return (
    <section role="alert" aria-labelledby="bulk-alert" className="rounded-md border border-amber-500 bg-amber-50 p-4 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50">
      <h2 id="bulk-alert" className="text-lg font-semibold">Bulk viewing in the last 24 hours</h2>
      <p className="text-sm">These staff members saw more than {threshold} distinct customers within one clock hour.</p>
      <ul className="mt-2 flex flex-col gap-1 text-sm">
        {viewers.map((v) => (
          <li key={`${v.actor_id}-${v.hour}`}>
            {v.actor_id ? (
              <Link href={`/audit/staff/${encodeURIComponent(v.actor_id)}`} className={`${LINK} font-medium dark:text-amber-200`}>{v.actor_email ?? v.actor_id}</Link>
            ) : (
              <span className="font-medium">{v.actor_email ?? "unknown"}</span>
            )}
            : {v.customers} customers between {v.hour.replace("T", " ")}:00 and :59 UTC
          </li>
        ))}
      </ul>
    </section>
  );
}
