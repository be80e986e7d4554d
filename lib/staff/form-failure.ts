import "server-only";
import type { FormState } from "@/components/staff/form-state";
import { ChangeRefused } from "@/lib/access/outcome";
import { AuditUnavailableError } from "@/lib/errors";
import { log } from "@/lib/log";
import { AuthError } from "@/lib/errors";

/** A refused or failed form action as the form shows it; the gate has already recorded it. */
export function formFailure(err: unknown, values?: Record<string, string>): FormState {
  const base = { status: "error" as const, fields: {}, ...(values ? { values } : {}) };
  if (err instanceof ChangeRefused) {
    const { form, ...fields } = err.fields;
    return { ...base, fields, message: form ?? "Nothing was changed: correct the fields marked below." };
  }
  if (err instanceof AuthError) {
    return {
      ...base,
      message: err.status === 401 ? "Your session has ended: sign in again. Nothing was changed." : "Your role does not allow this. Nothing was changed.",
    };
  }
  if (err instanceof AuditUnavailableError) {
    return { ...base, message: "The change was made, but the audit log could not be written. Tell whoever runs the portal." };
  }
  log.error({ err }, "staff form failed");
  return { ...base, message: "Something went wrong on the portal's side. Reload the page to see what changed, then try again." };
}
