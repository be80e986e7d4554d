"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { coerceViewQuery, viewHref, type CustomersQuery, type QueryCorrection } from "@/lib/contract/query";
import { customersKey, useCustomers, type CustomerRow } from "@/lib/customers/use-customers";
import type { ListError } from "@/lib/errors";
import { CustomerFilters } from "./customer-filters";
import { CustomerPager } from "./customer-pager";
import { useColumnPrefs } from "./column-prefs";
import { ColumnsControl } from "./columns-control";
import { CustomerTable } from "./customer-table";
import { ListErrorState, NoMatch } from "./list-states";
import { StaleNote } from "./stale-note";
import { describeFilters } from "./describe-query";
import { statusLabel } from "./status-badge";
import { TableSkeleton } from "./table-skeleton";
import { buttonClass } from "@/components/ui/button";
import { lazyPart } from "@/components/ui/lazy";
import { useIntlLocale, useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

// Only admins export: everyone else's page never loads its script.
const { Part: ExportControl } = lazyPart(() => import("./export-control").then((m) => m.ExportControl));

type Props = {
  /** The signed-in staff member may export (admin); the export routes check it again. */
  canExport: boolean;
  initialQuery: CustomersQuery;
  initialData: { customers: CustomerRow[]; total: number | null; hasMore: boolean | null; staleAsOf: string | null } | null;
  initialError: ListError | null;
};

type Mode = "push" | "replace";

// Each failed answer is a new object; numbering them lets a repeated 429 restart its countdown.
const attempts = new WeakMap<object, number>();
let attemptCount = 0;
function attemptOf(error: object): number {
  const known = attempts.get(error);
  if (known !== undefined) return known;
  attempts.set(error, ++attemptCount);
  return attemptCount;
}

function currentQuery(): CustomersQuery {
  return coerceViewQuery(new URLSearchParams(window.location.search)).query;
}

// The URL is the state. The History API (which Next's router follows) changes it without a server render,
// so one view costs one audited upstream request, made by SWR.
function go(change: Partial<CustomersQuery>, mode: Mode) {
  const href = viewHref({ ...currentQuery(), ...change });
  if (href === `${window.location.pathname}${window.location.search}`) return;
  window.history[mode === "push" ? "pushState" : "replaceState"](null, "", href);
}

function describe(query: CustomersQuery, t: Translate<Key>): string {
  const parts = describeFilters(query, t);
  return parts ? t("customers.describe.where", { parts }) : t("customers.describe.all");
}

function Corrections({ corrections }: { corrections: QueryCorrection[] }) {
  const t = useT();
  if (corrections.length === 0) return null;
  return (
    <div role="note" className="rounded-md border border-sky-400 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-600 dark:bg-sky-950 dark:text-sky-50">
      <p className="font-medium">{t("customers.corrections")}</p>
      <ul className="list-disc ps-5">
        {corrections.map((c) => (
          <li key={c.field}>
            <code className="font-mono">{c.field}</code>: {c.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CustomersView({ canExport, initialQuery, initialData, initialError }: Props) {
  const searchParams = useSearchParams();
  const t = useT();
  const intlLocale = useIntlLocale();
  const { query, corrections } = useMemo(() => coerceViewQuery(new URLSearchParams(searchParams.toString())), [searchParams]);
  const initialKey = customersKey(initialQuery);
  const state = useCustomers(query, {
    key: initialKey,
    page: initialData ? { key: initialKey, ...initialData } : undefined,
    error: initialError ?? undefined,
  });
  const here = viewHref(query);

  const onText = useCallback((field: "name" | "email", value: string) => go({ [field]: value || undefined, skip: 0 }, "replace"), []);
  const onStatus = useCallback((status: CustomersQuery["status"]) => go({ status, skip: 0 }, "push"), []);
  const onClear = useCallback(() => go({ name: undefined, email: undefined, status: undefined, skip: 0 }, "push"), []);
  const onLoosen = useCallback((field: "name" | "email" | "status") => go({ [field]: undefined, skip: 0 }, "push"), []);
  const onPage = useCallback((skip: number) => go({ skip }, "push"), []);
  const onTake = useCallback((take: number) => go({ take, skip: Math.floor(currentQuery().skip / take) * take }, "push"), []);

  const { page, shown, error } = state;
  const stale = !page && shown !== undefined;
  const { columns } = useColumnPrefs();

  let body;
  if (error) {
    body = (
      <ListErrorState
        error={error}
        attempt={attemptOf(error)}
        signInHref={`/login?callbackUrl=${encodeURIComponent(here)}`}
        onRetry={state.retry}
        retrying={state.loading}
      />
    );
  } else if (!shown) {
    body = <TableSkeleton rows={Math.min(query.take, 25)} columns={columns} />;
  } else if (page && page.customers.length === 0 && query.skip === 0) {
    body = <NoMatch query={query} statusText={statusLabel(query.status ?? null, t)} onLoosen={onLoosen} />;
  } else if (page && page.customers.length === 0) {
    // Reached by Next when a full page of 100 could not tell whether more existed, or by a link past the end.
    const after = new Intl.NumberFormat(intlLocale).format(query.skip);
    body = (
      <section role="status" aria-labelledby="empty-page-title" className="flex flex-col items-start gap-2 rounded-md border border-edge px-4 py-4 text-sm">
        <h2 id="empty-page-title" className="text-base font-semibold">
          {t("customers.emptyPageTitle", { after })}
        </h2>
        <p>{t("customers.emptyPageBody")}</p>
        <div className="flex flex-wrap gap-2">
          <button type="button" onClick={() => onPage(Math.max(0, query.skip - query.take))} className={buttonClass("inherit")}>
            {t("customers.previousPage")}
          </button>
          <button type="button" onClick={() => onPage(0)} className={buttonClass("inherit")}>
            {t("customers.firstPage")}
          </button>
        </div>
      </section>
    );
  } else {
    body = (
      <CustomerTable
        rows={shown.customers}
        caption={`${describe(query, t)}. ${page ? t("customers.describe.rows", { from: query.skip + 1, to: query.skip + page.customers.length }) : t("common.loading")}`}
        name={query.name}
        email={query.email}
        from={here}
        stale={stale}
      />
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <CustomerFilters query={query} onText={onText} onStatus={onStatus} onClear={onClear} />
      {canExport && <ExportControl query={query} />}
      <ColumnsControl />
      <Corrections corrections={corrections} />
      <div className="flex h-5 items-center text-sm text-muted">
        <p role="status" className="flex items-center gap-2">
          {stale && (
            <>
              <span className="h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent motion-reduce:animate-none" aria-hidden="true" />
              {t("common.loading")}
            </>
          )}
        </p>
      </div>
      {!error && page?.staleAsOf && <StaleNote asOf={page.staleAsOf} />}
      {body}
      {!error && shown && (page ? page.customers.length > 0 : true) && (
        <CustomerPager
          skip={query.skip}
          take={query.take}
          count={page ? page.customers.length : null}
          total={page?.total ?? null}
          hasMore={state.hasMore}
          atSkipCap={state.atSkipCap}
          onPage={onPage}
          onTake={onTake}
        />
      )}
    </div>
  );
}
