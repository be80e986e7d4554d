"use client";

import { COLUMN_IDS, type ColumnId } from "@/lib/customers/columns";
import { useT } from "@/lib/i18n/client";
import { ROW, TD, TH } from "./table-styles";

/** First load: the table's own shape with placeholder cells, so nothing moves when rows arrive. */
export function TableSkeleton({ rows, columns = COLUMN_IDS }: { rows: number; columns?: readonly ColumnId[] }) {
  const t = useT();
  return (
    <div className="overflow-hidden rounded-md border border-line" aria-busy="true">
      <p role="status" className="sr-only">
        {t("customers.loadingCustomers")}
      </p>
      <table className="w-full border-collapse text-sm" aria-hidden="true">
        <thead className="bg-sunken">
          <tr>
            {columns.map((column) => (
              <th key={column} className={TH}>
                {t(`columns.labels.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, i) => (
            <tr key={i} className={ROW}>
              {columns.map((column) => (
                <td key={column} className={TD}>
                  <span className="block h-3 w-20 animate-pulse rounded bg-slate-200 motion-reduce:animate-none dark:bg-slate-800" />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
