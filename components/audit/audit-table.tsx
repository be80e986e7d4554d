import Link from "next/link";
import { actionLabel } from "@/lib/audit/action-label";
import { outcomeText } from "./labels";
import { customerNames, targetIds } from "@/lib/audit/present";
import type { AuditEventRow } from "@/lib/db/schema";
import { LINK, ROW, TD, TH } from "./styles";
import { getT } from "@/lib/locale/server";
import { Table } from "@/components/ui/table";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

const HEADERS = ["time", "staff", "action", "customers", "query", "outcome", "origin", "requestId"] as const;

function Customers({ event, t }: { event: AuditEventRow; t: Translate<Key> }) {
  const ids = targetIds(event.targets);
  if (ids.length === 0) return <span aria-label={t("audit.table.none")}>—</span>;
  const names = customerNames(event.detail);
  return (
    <ul className="flex max-w-xs flex-col gap-0.5">
      {ids.map((id) => (
        <li key={id} className="flex flex-col">
          <Link href={`/customers/${encodeURIComponent(id)}`} className={`${LINK} break-all font-mono text-xs`}>
            {names.has(id) ? (
              <>
                <span className="font-sans text-sm">{names.get(id)}</span> {id}
              </>
            ) : (
              id
            )}
          </Link>
          <Link href={`/audit/customers/${encodeURIComponent(id)}`} className={`${LINK} text-xs`} aria-label={t("audit.table.historyOf", { id })}>
            {t("audit.table.history")}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Address and session on one line each; the user agent shortened, whole in its title. */
function Origin({ event, t }: { event: AuditEventRow; t: Translate<Key> }) {
  const { client_address: address, session_id: session, user_agent: agent } = event;
  if (!address && !session) return <span aria-label={t("audit.table.none")}>—</span>;
  return (
    <span className="flex max-w-56 flex-col">
      {address && <span>{address}</span>}
      {session && <span title={session}>{t("audit.table.session", { id: session.slice(0, 8) })}</span>}
      {agent && (
        <span className="truncate font-sans" title={agent}>
          {agent}
        </span>
      )}
    </span>
  );
}

/** Audit events newest first; staff link to their histories, customers to their page and history, ids always shown. */
export async function AuditTable({ events, caption }: { events: AuditEventRow[]; caption: string }) {
  const t = await getT();
  return (
    <Table caption={caption} label={t("audit.table.region")}>
      <thead className="bg-sunken">
        <tr>
          {HEADERS.map((h) => (
            <th key={h} scope="col" className={TH}>
              {t(`audit.table.${h}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {events.length === 0 && (
          <tr className={ROW}>
            <td colSpan={HEADERS.length} className={`${TD} text-center`}>
              {t("audit.table.empty")}
            </td>
          </tr>
        )}
        {events.map((e) => (
          <tr key={e.id} className={ROW}>
            <td className={`${TD} whitespace-nowrap tabular-nums`}>
              <time dateTime={e.at} title={e.at}>
                {e.at.replace("T", " ").slice(0, 19)}
              </time>
            </td>
            <td className={TD}>
              {e.actor_id ? (
                <Link href={`/audit/staff/${encodeURIComponent(e.actor_id)}`} className={`${LINK} break-all`}>
                  {e.actor_email ?? e.actor_id}
                </Link>
              ) : (
                <span className="text-muted">{e.actor_email ?? t("audit.table.signedOut")}</span>
              )}
            </td>
            <td className={TD}>
              <span className="block whitespace-nowrap">{actionLabel(t, e.action)}</span>
              <span className="block whitespace-nowrap font-mono text-xs text-muted">{e.action}</span>
            </td>
            <td className={TD}>
              <Customers event={e} t={t} />
            </td>
            <td className={`${TD} min-w-40 max-w-xs break-all font-mono text-xs`}>{e.query}</td>
            <td className={TD}>
              <span className="block whitespace-nowrap">{outcomeText(t, e.outcome)}</span>
              {e.refusal && <span className="block text-xs text-muted">{e.refusal}</span>}
              {e.purpose && <span className="block text-xs">{t("audit.table.purpose", { purpose: e.purpose })}</span>}
            </td>
            <td className={`${TD} font-mono text-xs`}>
              <Origin event={e} t={t} />
            </td>
            <td className={`${TD} break-all font-mono text-xs`}>{e.request_id}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
