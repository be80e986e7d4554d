import "server-only";
import type { FormState } from "@/components/staff/form-state";
import { ChangeRefused } from "@/lib/access/outcome";
import { AuditUnavailableError, AuthError } from "@/lib/errors";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { log } from "@/lib/log";

/** A refused or failed form action as the form shows it, in the reader's language; the gate has already recorded it. */
export function formFailure(t: Translate<Key>, err: unknown, values?: Record<string, string>): FormState {
  const base = { status: "error" as const, fields: {}, ...(values ? { values } : {}) };
  if (err instanceof ChangeRefused) {
    const { form, ...fields } = err.fields;
    return {
      ...base,
      fields: Object.fromEntries(Object.entries(fields).map(([field, m]) => [field, t(m.key, m.vars)])),
      message: form ? t(form.key, form.vars) : t("forms.correctFields"),
    };
  }
  if (err instanceof AuthError) return { ...base, message: t(err.status === 401 ? "forms.signedOut" : "forms.roleNotAllowed") };
  if (err instanceof AuditUnavailableError) return { ...base, message: t("forms.auditUnavailable") };
  log.error({ err }, "staff form failed");
  return { ...base, message: t("forms.unexpected") };
}
