import Link from "next/link";
import { AccessReportLink } from "@/components/audit/access-report-link";
import { LocalTime } from "@/components/ui/local-time";
import { LINK } from "@/components/ui/styles";
import { ROW, Table, TH } from "@/components/ui/table";
import type { AuditEventRow } from "@/lib/db/schema";
import { getT } from "@/lib/locale/server";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { groupAccess } from "./group-access";

const OUTCOMES: Record<string, Key> = {
  ok: "access.outcomes.ok",
  denied: "access.outcomes.denied",
  invalid: "access.outcomes.invalid",
  rate_limited: "access.outcomes.rate_limited",
  upstream_error: "access.outcomes.upstream_error",
  not_found: "access.outcomes.not_found",
};

const ACTIONS: Record<string, Key> = {
  "customer.view": "access.actions.view",
  "customers.list": "access.actions.list",
  "customer.reveal": "access.actions.reveal",
};

/** The word for an action or outcome the table knows; anything else as the audit log has it. */
function wordFor(words: Record<string, Key>, value: string, t: Translate<Key>): string {
  const key = Object.hasOwn(words, value) ? words[value] : undefined;
  return key ? t(key) : value;
}

/** Who opened, listed or revealed this customer, newest first, straight from the audit log. */
export async function RecentAccess({ events, customerId }: { events: AuditEventRow[] | null; customerId: string }) {
  const t = await getT();
  return (
    <section aria-labelledby="recent-access" className="flex flex-col gap-2">
      <h2 id="recent-access" className="text-lg font-semibold">
        {t("access.title")}
      </h2>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <AccessReportLink customerId={customerId}>{t("access.report")}</AccessReportLink>
        <Link href={`/audit/customers/${encodeURIComponent(customerId)}`} className={`${LINK} underline`}>
          {t("access.everyEvent")}
        </Link>
      </p>
      {events === null ? (
        <p role="status" className="text-sm">
          {t("access.unreadable")}
        </p>
      ) : events.length === 0 ? (
        <p className="text-sm">{t("access.none")}</p>
      ) : (
        <Table caption={t("access.caption")} label={t("access.table")}>
          <thead className="bg-sunken">
            <tr>
              {[t("access.when"), t("access.who"), t("access.what"), t("access.outcome")].map((h) => (
                <th key={h} scope="col" className={TH}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groupAccess(events).map((e) => (
              <tr key={e.id} className={ROW}>
                <td className="whitespace-nowrap px-3 py-2">
                  <LocalTime value={e.at} withTime />
                </td>
                <td className="whitespace-nowrap px-3 py-2">{e.actor_email ?? t("access.unknown")}</td>
                <td className="whitespace-nowrap px-3 py-2">
                  {wordFor(ACTIONS, e.action, t)}
                  {e.times > 1 && <span className="text-muted"> · {t("access.times", { times: e.times })}</span>}
                </td>
                <td className="whitespace-nowrap px-3 py-2">{wordFor(OUTCOMES, e.outcome, t)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
