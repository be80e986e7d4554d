import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { statusLabel } from "./status-badge";

/** The active filters in words (`name contains “jo”, status Active`), null when there are none. */
export function describeFilters(query: { status?: string; name?: string; email?: string }, t: Translate<Key>): string | null {
  const parts = [
    query.name && t("customers.describe.name", { value: query.name }),
    query.email && t("customers.describe.email", { value: query.email }),
    query.status && t("customers.describe.status", { value: statusLabel(query.status, t) }),
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}
