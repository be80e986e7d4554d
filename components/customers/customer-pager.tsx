"use client";

import { useSyncExternalStore } from "react";
import { PAGE_SIZES, SKIP_MAX } from "@/lib/contract/query";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { alertClass } from "@/components/ui/alert";
import { Select } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";

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
    <Pager
      label={t("customers.pages")}
      previous={{ label: t("customers.previousPage"), enabled: canPrevious, onMove: () => onPage(Math.max(0, skip - take)) }}
      next={{ label: t("customers.nextPage"), enabled: canNext, onMove: () => onPage(skip + take) }}
      status={
        <p className="min-w-44 text-sm tabular-nums" aria-live="polite">
          {count === null ? t("customers.loadingRows", { from: skip + 1 }) : showingRange(skip, count, t)}
          {count !== null && count > 0 && <span className="text-muted"> · {moreText({ total, hasMore }, t)}</span>}
        </p>
      }
      notice={atSkipCap && <p className={alertClass("warning")}>{t("customers.skipCap", { max: SKIP_MAX })}</p>}
    >
      <label className="flex items-center gap-2 text-sm">
        {t("customers.rowsPerPage")}
        <Select
          value={take}
          // A choice made before hydration would be lost: the select waits for the page like the buttons do.
          disabled={!hydrated}
          onChange={(e) => onTake(Number(e.target.value))}
          options={PAGE_SIZES.map((size) => ({ value: size, label: size }))}
        />
      </label>
    </Pager>
  );
}
