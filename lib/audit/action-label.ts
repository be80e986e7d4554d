import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { isAuditAction } from "./actions";

/**
 * An action as the reader's language names it (`audit.actions.<name>`); an action no longer in the registry (old
 * events) shows as stored. The template type makes the compiler refuse a registry action without a message.
 * Browser-safe.
 */
export function actionLabel(t: Translate<Key>, action: string): string {
  return isAuditAction(action) ? t(`audit.actions.${action}`) : action;
}
