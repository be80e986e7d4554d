import Link from "next/link";
import { AccessReportLink } from "@/components/audit/access-report-link";
import { LocalTime } from "@/components/ui/local-time";
import { LINK } from "@/components/ui/styles";
import type { AuditEventRow } from "@/lib/db/schema";
import { groupAccess } from "./group-access";

const OUTCOMES: Record<string, string> = {
  ok: "Shown",
  denied: "Refused",
  invalid: "Bad request",
  rate_limited: "Held back",
  upstream_error: "Devdraft failed",
  not_found: "Not found",
};

const ACTIONS: Record<string, string> = {
  "customer.view": "Opened this page",
  "customers.list": "Saw it in a list",
  "customer.reveal": "Revealed contact details",
};

/** Who opened, listed or revealed this customer, newest first, straight from the audit log. */
export function RecentAccess({ events, customerId }: { events: AuditEventRow[] | null; customerId: string }) {
  return (
    <section aria-labelledby="recent-access" className="flex flex-col gap-2">
      <h2 id="recent-access" className="text-lg font-semibold">
        Recent access
      </h2>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <AccessReportLink customerId={customerId}>Access report for this customer</AccessReportLink>
        <Link href={`/audit/customers/${encodeURIComponent(customerId)}`} className={`${LINK} underline`}>
          Every audit event for this customer
        </Link>
      </p>
      {events === null ? (
        <p role="status" className="text-sm">
          The audit log could not be read just now, so recent access is not shown.
        </p>
      ) : events.length === 0 ? (
        <p className="text-sm">No access is on record yet.</p>
      ) : (
        <div role="region" aria-label="Recent access table" tabIndex={0} className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
          <table className="w-full text-sm">
            <caption className="sr-only">Staff who accessed this customer, newest first</caption>
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr>
                {["When", "Who", "What", "Outcome"].map((h) => (
                  <th key={h} scope="col" className="whitespace-nowrap px-3 py-2 text-start text-xs font-semibold uppercase tracking-wide">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groupAccess(events).map((e) => (
                <tr key={e.id} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={e.at} withTime />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">{e.actor_email ?? "(unknown)"}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {ACTIONS[e.action] ?? e.action}
                    {e.times > 1 && <span className="text-slate-600 dark:text-slate-400"> · {e.times} times that minute</span>}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">{OUTCOMES[e.outcome] ?? e.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
