import { type AuditFilter, FILTER_KEYS, filterToParams, parseAuditFilter } from "@/lib/audit/filters";
import { auditReadSourceForRender } from "@/lib/audit/read-source";
import { countUpTo, searchEvents } from "@/lib/audit/search";
import { AuditFilters, type RawFilters } from "./audit-filters";
import { matchText } from "./labels";
import { AuditPager } from "./audit-pager";
import { AuditTable } from "./audit-table";
import { ReplicaNote } from "./replica-note";
import { BUTTON } from "./styles";
import { getT } from "@/lib/locale/server";

export type SearchParams = Record<string, string | string[] | undefined>;
type Pinned = { customer: string } | { actor: string } | Record<string, never>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Filter form, events table, cursor pager and export links for one audit page; the URL holds all of it. */
export async function AuditEvents({ basePath, searchParams, pinned = {} }: { basePath: string; searchParams: SearchParams; pinned?: Pinned }) {
  const t = await getT();
  const raw: RawFilters = {};
  for (const key of [...FILTER_KEYS, "limit"] as const) raw[key] = first(searchParams[key]);
  const parsed = parseAuditFilter({ ...searchParams, ...pinned });
  const fixed = Object.keys(pinned).filter((k): k is "actor" | "customer" => k === "actor" || k === "customer");
  const form = <AuditFilters action={basePath} values={raw} fixed={fixed} />;
  if (!parsed.ok) {
    return (
      <div className="flex flex-col gap-4">
        {form}
        <div role="alert" className="rounded-md border border-danger-edge p-3 text-sm text-danger-ink">
          <p className="font-medium">{t("audit.filters.invalid")}</p>
          <ul className="list-disc ps-5">
            {parsed.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      </div>
    );
  }
  const filter: AuditFilter = parsed.filter;
  // The read replica when one is set (DATABASE_READ_URL), with a note when it lags; the primary otherwise.
  const source = await auditReadSourceForRender();
  const [page, matches] = await Promise.all([searchEvents(source.db, filter), countUpTo(source.db, filter)]);
  // Links carry the page's own filters; the pinned one is in the path already.
  const own = { ...filter, ...("customer" in pinned ? { customer: undefined } : {}), ...("actor" in pinned ? { actor: undefined } : {}) };
  const href = (extra: Record<string, string>) => `${basePath}?${filterToParams(own, extra).toString()}`;
  const exportHref = (format: string) => `/api/audit/export?${filterToParams(filter, { format }).toString()}`;
  return (
    <div className="flex flex-col gap-4">
      {form}
      <p className="text-sm" data-testid="audit-match-count">
        {matchText(t, matches)}
      </p>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <AuditPager
          label={t("audit.pager.pages")}
          prevHref={page.prevCursor ? href({ cursor: page.prevCursor }) : null}
          nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
        />
        <div className="flex flex-wrap gap-2">
          <a href={exportHref("csv")} className={BUTTON} download>
            {t("audit.exportCsv")}
          </a>
          <a href={exportHref("jsonl")} className={BUTTON} download>
            {t("audit.exportJsonl")}
          </a>
        </div>
      </div>
      <ReplicaNote lag={source.lag} t={t} />
      <AuditTable events={page.events} caption={t("audit.table.caption", { limit: filter.limit })} />
      <AuditPager
        label={t("audit.pager.pagesBottom")}
        prevHref={page.prevCursor ? href({ cursor: page.prevCursor }) : null}
        nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
      />
    </div>
  );
}
