import { AUDIT_OUTCOMES } from "@/lib/audit/actions";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

/** An event's outcome in the reader's language; one no longer known (old events) shows as stored. */
export function outcomeText(t: Translate<Key>, outcome: string): string {
  return (AUDIT_OUTCOMES as readonly string[]).includes(outcome) ? t(`audit.outcomes.${outcome as (typeof AUDIT_OUTCOMES)[number]}`) : outcome;
}

/** The match count above the events: exact up to the cap, "more than" past it. */
export function matchText(t: Translate<Key>, { count, more }: { count: number; more: boolean }): string {
  if (more) return t("audit.matches.more", { count });
  return count === 0 ? t("audit.matches.none") : t("audit.matches.some", { count });
}
