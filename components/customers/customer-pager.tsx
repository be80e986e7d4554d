"use client";

import { useSyncExternalStore } from "react";
import { PAGE_SIZES, SKIP_MAX } from "@/lib/contract/query";
import { showingRange } from "@/lib/customers/format";
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
const number = new Intl.NumberFormat("en-US");

function moreText({ total, hasMore }: Pick<Props, "total" | "hasMore">): string {
  if (total !== null) return `of ${number.format(total)}`;
  // At the largest page size Devdraft cannot be asked for one row more: say so, and let Next find out.
  if (hasMore === null) return "more may exist";
  return hasMore ? "more exist" : "end of results";
}

const noSubscription = () => () => {};

export function CustomerPager(props: Props) {
  const { skip, take, count, total, hasMore, atSkipCap, onPage, onTake } = props;
  // In the server's HTML the buttons cannot act yet: they say so until the page is hydrated.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const canPrevious = hydrated && skip > 0;
  const canNext = hydrated && count !== null && hasMore !== false && !atSkipCap && skip + take <= SKIP_MAX;
  return (
    <nav aria-label="Pages" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <p className="min-w-44 text-sm tabular-nums" aria-live="polite">
          {count === null ? `Loading rows from ${skip + 1}…` : showingRange(skip, count)}
          {count !== null && count > 0 && <span className="text-slate-700 dark:text-slate-300"> · {moreText({ total, hasMore })}</span>}
        </p>
        <div className="flex items-center gap-2">
          <button type="button" className={BUTTON} aria-disabled={!canPrevious} onClick={() => canPrevious && onPage(Math.max(0, skip - take))}>
            Previous page
          </button>
          <button type="button" className={BUTTON} aria-disabled={!canNext} onClick={() => canNext && onPage(skip + take)}>
            Next page
          </button>
        </div>
        <label className="flex items-center gap-2 text-sm">
          Rows per page
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
          Devdraft cannot page past {number.format(SKIP_MAX)} rows, so this filter set cannot be paged further. Narrow it with a name, email or status to reach
          the rest.
        </p>
      )}
    </nav>
  );
}
