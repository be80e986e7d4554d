import Link from "next/link";
import type { AccessReportRow } from "@/lib/audit/access-report";
import { actionLabel } from "@/lib/audit/action-label";
import { outcomeText } from "./labels";
import { LINK, ROW, TD, TH } from "./styles";
import type { Translate } from "@/lib/i18n/translate";
import type { Key } from "@/lib/i18n/keys";
import { getT } from "@/lib/locale/server";
import { Table } from "@/components/ui/table";

const HEADERS = ["time", "action", "outcome", "purpose", "staff", "address", "session", "requestId", "event"] as const;

function Staff({ row, t }: { row: AccessReportRow; t: Translate<Key> }) {
  if (!row.staffId) return <span>{row.staffEmail ?? t("audit.table.signedOut")}</span>;
  return (
    <div className="flex flex-col">
      <Link href={`/audit/staff/${encodeURIComponent(row.staffId)}`} className={`${LINK} print:text-inherit print:no-underline`}>
        {row.staffName ?? row.staffEmail ?? row.staffId}
      </Link>
      {/* The address recorded at the time, which may differ from the staff member's address today. */}
      {row.staffEmail && <span className="break-all text-xs">{row.staffEmail}</span>}
    </div>
  );
}

/** Every access, oldest first; each row names the event it comes from, so it can be checked against the chain. */
export async function AccessReportTable({ rows, caption }: { rows: AccessReportRow[]; caption: string }) {
  const t = await getT();
  return (
    <Table caption={caption} label={t("audit.report.region")} className="print:text-xs">
      <thead className="bg-sunken print:bg-transparent">
        <tr>
          {HEADERS.map((h) => (
            <th key={h} scope="col" className={`${TH} print:px-1`}>
              {t(`audit.report.${h}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr className={ROW}>
            <td colSpan={HEADERS.length} className={`${TD} text-center`}>
              {t("audit.report.empty")}
            </td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={r.id} className={`${ROW} break-inside-avoid`}>
            <td className={`${TD} whitespace-nowrap tabular-nums print:px-1`}>
              <time dateTime={r.at} title={r.at}>
                {r.at.replace("T", " ").slice(0, 19)}
              </time>
            </td>
            <td className={`${TD} print:px-1`}>
              <span>{actionLabel(t, r.action)}</span> <span className="whitespace-nowrap font-mono text-xs">({r.action})</span>
            </td>
            <td className={`${TD} print:px-1`}>
              <span className="whitespace-nowrap">{outcomeText(t, r.outcome)}</span>
              {r.refusal && <span className="block text-xs">{r.refusal}</span>}
            </td>
            <td className={`${TD} min-w-32 print:px-1`}>{r.purpose ?? <span aria-label={t("audit.report.noneGiven")}>—</span>}</td>
            <td className={`${TD} print:px-1`}>
              <Staff row={r} t={t} />
            </td>
            <td className={`${TD} break-all font-mono text-xs print:px-1`}>{r.clientAddress ?? "—"}</td>
            <td className={`${TD} break-all font-mono text-xs print:px-1`}>{r.sessionId ?? "—"}</td>
            <td className={`${TD} break-all font-mono text-xs print:px-1`}>{r.requestId}</td>
            <td className={`${TD} font-mono text-xs print:px-1`}>
              <span className="whitespace-nowrap">#{r.seq}</span> <span className="break-all">{r.id}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
