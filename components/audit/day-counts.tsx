import type { DayCount } from "@/lib/audit/search";
import { ROW, TD, TH } from "./styles";
import { getT } from "@/lib/locale/server";
import { Table } from "@/components/ui/table";

/** Events per UTC day as a table; the bar is decoration, the number is the data ("more than N" past the count's cap). */
export async function DayCounts({ counts, caption }: { counts: DayCount[]; caption: string }) {
  const t = await getT();
  const max = Math.max(1, ...counts.map((c) => c.events));
  return (
    <section aria-labelledby="day-counts" className="flex flex-col gap-2">
      <h2 id="day-counts" className="text-lg font-semibold">
        {t("audit.days.title")}
      </h2>
      {counts.length === 0 ? (
        <p className="text-sm">{t("audit.days.empty")}</p>
      ) : (
        <Table caption={caption} label={t("audit.days.region")} frameClassName="max-h-80 overflow-y-auto">
          <thead className="bg-sunken">
            <tr>
              <th scope="col" className={TH}>
                {t("audit.days.day")}
              </th>
              <th scope="col" className={TH}>
                {t("audit.days.events")}
              </th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr key={c.day} className={ROW}>
                <td className={`${TD} whitespace-nowrap tabular-nums`}>{c.day}</td>
                <td className={`${TD} w-full`}>
                  <div className="flex items-center gap-2">
                    <span className="min-w-12 text-end tabular-nums">
                      {c.more ? t("audit.days.more", { count: c.events }) : t("audit.report.count", { count: c.events })}
                    </span>
                    <span
                      aria-hidden="true"
                      className="h-3 rounded-sm bg-blue-600 dark:bg-blue-400"
                      style={{ width: `${Math.max(2, (c.events / max) * 100)}%` }}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
