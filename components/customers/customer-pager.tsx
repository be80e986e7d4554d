"use client";

import { useSyncExternalStore } from "react";
import { PAGE_SIZES, SKIP_MAX } from "@/lib/contract/query";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { buttonClass } from "@/components/ui/button";

type Props = {
  skip: number;
  take: number;
  /** Rows on this page; null while it loads. */
  count: number | null;
  total: number | null;
  /** The server's word on a next page: true / false when known, null when more may exist (take 100, full page). */
  hasMore: boolean | null;
  atSkipCap: boolean;
  onPage: (skip: number) => void;
  onTake: (take: number) => void;
};

// aria-disabled, not disabled: a button that disables itself mid-load would drop keyboard focus.
const BUTTON = buttonClass();
function moreText({ total, hasMore }: Pick<Props, "total" | "hasMore">, t: Translate<Key>): string {
  if (total !== null) return t("customers.of", { total });
  // At the largest page size Devdraft cannot be asked for one row more: say so, and let Next find out.
  if (hasMore === null) return t("customers.moreMayExist");
  return hasMore ? t("customers.moreExist") : t("customers.endOfResults");
}

/** `Showing 26–50` for rows 26 to 50; an empty page says so. */
function showingRange(skip: number, count: number, t: Translate<Key>): string {
  return count === 0 ? t("customers.noRows") : t("customers.showing", { from: skip + 1, to: skip + count });
}

const noSubscription = () => () => {};

export function CustomerPager(props: Props) {
  const { skip, take, count, total, hasMore, atSkipCap, onPage, onTake } = props;
  const t = useT();
  // In the server's HTML the buttons cannot act yet: they say so until the page is hydrated.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const canPrevious = hydrated && skip > 0;
  const canNext = hydrated && count !== null && hasMore !== false && !atSkipCap && skip + take <= SKIP_MAX;
  return (
    <nav aria-label={t("customers.pages")} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <p className="min-w-44 text-sm tabular-nums" aria-live="polite">
          {count === null ? t("customers.loadingRows", { from: skip + 1 }) : showingRange(skip, count, t)}
          {count !== null && count > 0 && <span className="text-slate-700 dark:text-slate-300"> · {moreText({ total, hasMore }, t)}</span>}
        </p>
        <div className="flex items-center gap-2">
          <button type="button" className={BUTTON} aria-disabled={!canPrevious} onClick={() => canPrevious && onPage(Math.max(0, skip - take))}>
            {t("customers.previousPage")}
          </button>
          <button type="button" className={BUTTON} aria-disabled={!canNext} onClick={() => canNext && onPage(skip + take)}>
            {t("customers.nextPage")}
          </button>
        </div>
        <label className="flex items-center gap-2 text-sm">
          {t("customers.rowsPerPage")}
          <select
            value={take}
            // A choice made before hydration would be lost: the select waits for the page like the buttons do.
            disabled={!hydrated}
            onChange={(e) => onTake(Number(e.target.value))}
            className="rounded-md border border-slate-400 bg-white px-2 py-1 dark:border-slate-500 dark:bg-slate-900"
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </div>
      {atSkipCap && (
        <p className="rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100">
          {t("customers.skipCap", { max: SKIP_MAX })}
        </p>
      )}
    </nav>
  );
}
