"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { isPageShortcut } from "@/components/palette/keys";
import { LocalTime } from "@/components/ui/local-time";
import { formatMoney, fullName } from "@/lib/customers/format";
import type { CustomerRow } from "@/lib/customers/use-customers";
import type { ColumnId } from "@/lib/customers/columns";
import { useIntlLocale, useT } from "@/lib/i18n/client";
import { useColumnPrefs } from "./column-prefs";
import { Highlight } from "./highlight";
import { RevealContact, type Contact } from "./reveal-contact";
import { StatusBadge } from "./status-badge";
import { Table } from "@/components/ui/table";
import { densityClasses, TH, WIDTH_CLASS } from "./table-styles";

// The row holding keyboard focus stands out (j/k, the arrows, or Tab onto its link).
const ROW_FOCUS =
  "focus-within:bg-sky-50 focus-within:outline focus-within:outline-2 focus-within:-outline-offset-2 focus-within:outline-sky-700 dark:focus-within:bg-sky-950 dark:focus-within:outline-sky-300";

/**
 * j/k and ↓/↑ move focus between the rows' name links (a screen reader reads the name as the link takes focus);
 * Enter opens the focused row as any link does. The arrows act only from the table or from nothing focused, so
 * they still scroll and work in every other control.
 */
function useRowKeys(tableRef: React.RefObject<HTMLTableElement | null>) {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const down = event.key === "j" || event.key === "ArrowDown";
      if ((!down && event.key !== "k" && event.key !== "ArrowUp") || event.shiftKey || !isPageShortcut(event)) return;
      const table = tableRef.current;
      const focused = document.activeElement;
      const inTable = table !== null && focused !== null && table.contains(focused);
      if (!table || (event.key.startsWith("Arrow") && !inTable && focused !== document.body)) return;
      const links = [...table.querySelectorAll<HTMLAnchorElement>("tbody th a")];
      if (links.length === 0) return;
      const at = inTable ? links.findIndex((link) => link.closest("tr")?.contains(focused)) : -1;
      const next = at === -1 ? (down ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + (down ? 1 : -1)));
      event.preventDefault();
      links[next]?.focus();
      links[next]?.scrollIntoView({ block: "nearest" });
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [tableRef]);
}

type Props = {
  rows: CustomerRow[];
  caption: string;
  name: string | undefined;
  email: string | undefined;
  /** The list view, carried to the detail page so its back link returns here. */
  from: string;
  stale: boolean;
};

export function CustomerTable({ rows, caption, name, email, from, stale }: Props) {
  const [revealed, setRevealed] = useState<Record<string, Contact>>({});
  const [announcement, setAnnouncement] = useState("");
  const tableRef = useRef<HTMLTableElement>(null);
  useRowKeys(tableRef);
  const t = useT();
  const locale = useIntlLocale();
  const { columns, density, widths } = useColumnPrefs();
  const { ROW, TD } = densityClasses(density);
  const sized = (column: ColumnId, content: ReactNode) => {
    const box = WIDTH_CLASS[widths[column] ?? "normal"];
    return box ? <div className={box}>{content}</div> : content;
  };
  const sticky = (column: ColumnId) => column === "name" && columns[0] === "name";
  return (
    <>
      <p id="customers-table-hint" className="mb-1 text-xs text-muted sm:hidden">
        {t("customers.tableHint")}
      </p>
      <Table
        caption={caption}
        label={t("customers.table")}
        describedBy="customers-table-hint"
        tableRef={tableRef}
        busy={stale}
        className={`transition-opacity ${stale ? "opacity-60" : ""}`}
      >
        <thead className="bg-sunken">
          <tr>
            {columns.map((column) => (
              <th
                key={column}
                scope="col"
                aria-sort={column === "created" ? "descending" : undefined}
                className={`${TH} ${column === "last_spent" ? "text-end" : ""} ${sticky(column) ? "sticky start-0 bg-sunken" : ""}`}
              >
                {sized(column, t(`columns.labels.${column}`))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const display = fullName(c.first_name, c.last_name, t("customers.noName"));
            const contact = revealed[c.id];
            const spent = formatMoney(c.last_spent, c.currency, locale);
            const cells: Record<ColumnId, ReactNode> = {
              name: (
                <th key="name" scope="row" className={`${TD} text-start font-medium ${sticky("name") ? "sticky start-0 bg-page" : ""}`}>
                  {sized(
                    "name",
                    <Link
                      href={`/customers/${encodeURIComponent(c.id)}?from=${encodeURIComponent(from)}`}
                      // A prefetch would render the detail page: an audited view nobody asked for.
                      prefetch={false}
                      className="text-accent underline-offset-2 hover:underline"
                    >
                      <Highlight text={display} needle={name} />
                    </Link>,
                  )}
                </th>
              ),
              email: (
                <td key="email" className={TD}>
                  {sized(
                    "email",
                    contact ? <span className="font-medium">{contact.email ?? "—"}</span> : c.email ? <Highlight text={c.email} needle={email} /> : "—",
                  )}
                </td>
              ),
              phone: (
                <td key="phone" className={`${TD} tabular-nums`}>
                  {sized("phone", contact ? <span className="font-medium">{contact.phone_number ?? "—"}</span> : (c.phone_number ?? "—"))}
                </td>
              ),
              type: (
                <td key="type" className={TD}>
                  {sized("type", c.customer_type ?? "—")}
                </td>
              ),
              status: (
                <td key="status" className={TD}>
                  {sized("status", <StatusBadge status={c.status} />)}
                </td>
              ),
              last_spent: (
                <td key="last_spent" className={`${TD} text-end tabular-nums`}>
                  {sized("last_spent", spent ?? "—")}
                </td>
              ),
              last_purchase: (
                <td key="last_purchase" className={TD}>
                  {sized("last_purchase", <LocalTime value={c.last_purchase_date} />)}
                </td>
              ),
              created: (
                <td key="created" className={TD}>
                  {sized("created", <LocalTime value={c.createdAt} />)}
                </td>
              ),
              contact: (
                <td key="contact" className={TD}>
                  {sized(
                    "contact",
                    <>
                      {contact ? (
                        <span id={`revealed-${c.id}`} tabIndex={-1} className="text-xs text-muted">
                          {t("customers.revealed")}
                        </span>
                      ) : (
                        <RevealContact
                          id={c.id}
                          name={display}
                          onReveal={(value, note) => {
                            setRevealed((all) => ({ ...all, [c.id]: value }));
                            setAnnouncement(note);
                            // The Reveal button (and its dialog) is gone: keep keyboard focus in this row.
                            requestAnimationFrame(() => document.getElementById(`revealed-${c.id}`)?.focus());
                          }}
                        />
                      )}
                    </>,
                  )}
                </td>
              ),
            };
            return (
              <tr key={c.id} className={`${ROW} ${ROW_FOCUS}`}>
                {columns.map((column) => cells[column])}
              </tr>
            );
          })}
        </tbody>
      </Table>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </>
  );
}
