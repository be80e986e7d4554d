import type { Metadata } from "next";
import { Suspense } from "react";
import { AccessReasonsProvider } from "@/components/access/reasons-context";
import { ColumnPrefsProvider } from "@/components/customers/column-prefs";
import { CustomersView } from "@/components/customers/customers-view";
import { columnsFor } from "@/lib/customers/column-prefs-service";
import { DEFAULT_COLUMN_PREFS } from "@/lib/customers/columns";
import { getT } from "@/lib/locale/server";
import { listErrorOf } from "@/lib/http/api-error";
import { RecentlyViewed } from "@/components/customers/recently-viewed";
import { SavedViews } from "@/components/customers/saved-views";
import { TableSkeleton } from "@/components/customers/table-skeleton";
import { interleave } from "@/lib/i18n/interleave";
import { coerceViewQuery, toSearchParams, viewHref, type CustomersQuery } from "@/lib/contract/query";
import { currentStaff } from "@/lib/auth/session";
import { CUSTOMER_READERS } from "@/lib/roles";
import { finderDataFor, type FinderData } from "@/lib/customers/saved-view-service";
import { readAccessSettings } from "@/lib/access/settings";
import { listCustomersFor } from "@/lib/customers/service";
import { mayExport } from "@/lib/export/service";
import { requestId } from "@/lib/http/request-id";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("customers.title") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Page 1 of the view in the server-rendered HTML; failures become a state the browser draws, never an empty list. */
async function FirstPage({ query }: { query: CustomersQuery }) {
  const id = await requestId();
  // Admins, and agents holding a live export grant (the API checks again at each call).
  const staff = await currentStaff();
  const canExport =
    staff !== null &&
    (await mayExport(staff).then(
      () => true,
      () => false,
    ));
  const first = await listCustomersFor(toSearchParams(query), id).then(
    (page) => ({ data: { customers: page.customers, total: page.total, hasMore: page.hasMore, staleAsOf: page.stale ? page.asOf : null }, error: null }),
    (err: unknown) => ({ data: null, error: listErrorOf(err, id) }),
  );
  return <CustomersView canExport={canExport} initialQuery={query} initialData={first.data} initialError={first.error} />;
}

/** Beside the table: saved views and recently viewed; a store that cannot be read says so, never "none". */
async function FinderAside() {
  const staff = await currentStaff();
  if (!staff || !CUSTOMER_READERS.includes(staff.role)) return null;
  const data: FinderData | null = await finderDataFor(staff.id).catch(() => null);
  const t = await getT();
  return (
    <aside aria-label={t("customers.aside")} className="flex flex-col gap-stack">
      <SavedViews initial={data?.views ?? null} />
      <RecentlyViewed recent={data?.recent ?? null} />
    </aside>
  );
}

export default async function CustomersPage({ searchParams }: Props) {
  const { query } = coerceViewQuery(await searchParams);
  const staff = await currentStaff();
  const prefs = (staff && (await columnsFor(staff.id))) ?? DEFAULT_COLUMN_PREFS;
  const t = await getT();
  const key = (k: string) => (
    <kbd key={k} className="rounded border border-slate-400 px-1 font-mono">
      {k}
    </kbd>
  );
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t("customers.title")}</h1>
        <p className="hidden text-sm text-muted sm:block">{interleave(t("customers.shortcutsHint"), { slash: key("/"), question: key("?") })}</p>
      </div>
      <p className="text-sm text-muted">{t("customers.order")}</p>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-stack lg:grid-cols-[minmax(0,1fr)_16rem]">
        <AccessReasonsProvider reasons={readAccessSettings().ACCESS_REASONS}>
          <ColumnPrefsProvider initial={prefs}>
            <Suspense key={viewHref(query)} fallback={<TableSkeleton rows={Math.min(query.take, 25)} columns={prefs.columns} />}>
              <FirstPage query={query} />
            </Suspense>
          </ColumnPrefsProvider>
        </AccessReasonsProvider>
        <FinderAside />
      </div>
    </div>
  );
}
