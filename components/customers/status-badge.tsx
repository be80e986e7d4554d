"use client";

import type { ReactNode } from "react";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { CUSTOMER_STATUSES, type CustomerStatus } from "@/lib/contract/query";
import { Badge, type BadgeEdge, type BadgeTone } from "@/components/ui/badge";

type Known = { icon: ReactNode; tone: BadgeTone; edge: BadgeEdge };

const ICON = "h-3.5 w-3.5 shrink-0";
// Each status has its own word, icon shape and border style, so colour is never the only difference.
const KNOWN: Record<CustomerStatus, Known> = {
  ACTIVE: {
    icon: (
      <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
        <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />
      </svg>
    ),
    tone: "success",
    edge: "solid",
  },
  BLACKLISTED: {
    icon: (
      <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
        <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M4 12L12 4" stroke="currentColor" strokeWidth="2" />
      </svg>
    ),
    tone: "danger",
    edge: "double",
  },
  DEACTIVATED: {
    icon: (
      <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
        <path d="M3 8h10" stroke="currentColor" strokeWidth="2" />
      </svg>
    ),
    tone: "neutral",
    edge: "dashed",
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

const UNKNOWN: Known = {
  icon: (
    <svg viewBox="0 0 16 16" className={ICON} aria-hidden="true">
      <path d="M8 2l6 12H2z" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  ),
  tone: "warning",
  edge: "dotted",
};

export function StatusBadge({ status }: { status: string | null }) {
  const t = useT();
  const { icon, tone, edge } = status !== null && isKnown(status) ? KNOWN[status] : UNKNOWN;
  return (
    <Badge tone={tone} edge={edge} icon={icon}>
      {statusLabel(status, t)}
    </Badge>
  );
}
