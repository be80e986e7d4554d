"use client";

import type { ReactNode } from "react";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { CUSTOMER_STATUSES, type CustomerStatus } from "@/lib/contract/query";

type Known = { icon: ReactNode; className: string };

const ICON = "h-3.5 w-3.5 shrink-0";
// Each status has its own word, icon shape and border style, so colour is never the only difference.
const KNOWN: Record<CustomerStatus, Known> = {
  ACTIVE: {
    icon: (
      <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
        <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />
      </svg>
    ),
    className: "border-solid border-emerald-700 bg-emerald-50 text-emerald-900 dark:border-emerald-400 dark:bg-emerald-950 dark:text-emerald-100",
  },
  BLACKLISTED: {
    icon: (
      <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
        <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M4 12L12 4" stroke="currentColor" strokeWidth="2" />
      </svg>
    ),
    className: "border-double border-[3px] border-red-700 bg-red-50 text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100",
  },
  DEACTIVATED: {
    icon: (
      <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
        <path d="M3 8h10" stroke="currentColor" strokeWidth="2" />
      </svg>
    ),
    className: "border-dashed border-slate-500 bg-slate-100 text-slate-800 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-100",
  },
};

function isKnown(status: string): status is CustomerStatus {
  return (CUSTOMER_STATUSES as readonly string[]).includes(status);
}

/** `ACTIVE` → `Active` (`Aktiv`); a status the portal does not know is shown exactly as Devdraft sent it. */
export function statusLabel(status: string | null, t: Translate<Key>): string {
  if (status === null || status === "") return t("customers.statuses.none");
  return isKnown(status) ? t(`customers.statuses.${status}`) : status;
}

export function explainStatus(status: string | null, t: Translate<Key>): string {
  if (status === null || status === "") return t("customers.explain.none");
  return isKnown(status) ? t(`customers.explain.${status}`) : t("customers.explain.unknown", { status });
}

export function StatusBadge({ status }: { status: string | null }) {
  const t = useT();
  const known = status !== null && isKnown(status) ? KNOWN[status] : undefined;
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${
        known?.className ?? "border-dotted border-amber-700 bg-amber-50 text-amber-900 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-100"
      }`}
    >
      {known?.icon ?? (
        <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
          <path d="M8 2l6 12H2z" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}
      {statusLabel(status, t)}
    </span>
  );
}
