import type { AuditEventRow } from "@/lib/db/schema";

function targetsOf(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

export function AuditTable({ events, caption }: { events: AuditEventRow[]; caption: string }) {
  return (
    <div role="region" aria-label="Audit events" tabIndex={0} className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            {["Time", "Staff member", "Action", "Customers", "Query", "Outcome", "Request id"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const targets = targetsOf(e.targets);
            return (
              <tr key={e.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                <td className="whitespace-nowrap px-3 py-2"><time dateTime={e.at} title={e.at}>{e.at.replace("T", " ").slice(0, 19)} UTC</time></td>
                <td className="px-3 py-2">{e.actor_email ?? "signed out"}</td>
                <td className="px-3 py-2 font-mono">{e.action}</td>
                <td className="px-3 py-2">{targets.length === 0 ? "—" : `${targets.length} customer${targets.length === 1 ? "" : "s"}`}</td>
                <td className="max-w-xs break-all px-3 py-2 font-mono text-xs">{e.query}</td>
                <td className="px-3 py-2">{e.outcome}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.request_id}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
