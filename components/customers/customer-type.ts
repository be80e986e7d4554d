import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

// One short sentence per customer type Devdraft is known to send (detail.types.*); anything else is shown as it came.
const TYPES: Record<string, Key> = {
  Individual: "detail.types.Individual",
  Business: "detail.types.Business",
  Startup: "detail.types.Startup",
  "Small Business": "detail.types.SmallBusiness",
  "Medium Business": "detail.types.MediumBusiness",
  Enterprise: "detail.types.Enterprise",
  "Non-Profit": "detail.types.NonProfit",
  Government: "detail.types.Government",
};

export function explainType(type: string | null, t: Translate<Key>): string {
  if (!type) return t("detail.types.none");
  const known = Object.hasOwn(TYPES, type) ? TYPES[type] : undefined;
  return known ? t(known) : t("detail.types.unknown", { type });
}
