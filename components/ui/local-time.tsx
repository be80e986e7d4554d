"use client";

import { useSyncExternalStore } from "react";
import { formatDate } from "@/lib/customers/format";
import { useIntlLocale } from "@/lib/i18n/client";

const subscribe = () => () => {};

/**
 * A date in the reader's own time zone and language (`Mar 5, 2024`, `5. März 2024`), exact ISO instant on hover. The server knows no reader's zone, so it
 * and the hydration pass draw UTC; the browser then redraws in local time (same width: no layout shift).
 */
export function LocalTime({ value, withTime = false, fallback = "—" }: { value: string | null | undefined; withTime?: boolean; fallback?: string }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const date = formatDate(value, { timeZone: hydrated ? undefined : "UTC", withTime, locale: useIntlLocale() });
  if (!date) return <span>{value || fallback}</span>;
  return (
    <time dateTime={date.iso} title={date.iso}>
      {date.label}
    </time>
  );
}
