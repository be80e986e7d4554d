import Link from "next/link";
import { actionLabel } from "@/lib/audit/action-label";
import { AUDIT_ACTION_NAMES, AUDIT_OUTCOMES } from "@/lib/audit/actions";
import { outcomeText } from "./labels";
import type { FILTER_KEYS } from "@/lib/audit/filters";
import { BUTTON, INPUT, LINK } from "./styles";
import { getT } from "@/lib/locale/server";

export type RawFilters = Partial<Record<(typeof FILTER_KEYS)[number] | "limit", string>>;

const asDate = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : "");

function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={htmlFor} className="text-sm font-medium">
        {label}
      </label>
      {children}
    </div>
  );
}

/**
 * The filters as a plain GET form: submitting puts them in the URL (no JavaScript needed) and drops the cursor,
 * so a new search starts at the newest event. `fixed` hides what the page itself pins (a customer or a staff member).
 */
export async function AuditFilters({ action, values, fixed = [] }: { action: string; values: RawFilters; fixed?: ("actor" | "customer")[] }) {
  // An action no longer in the registry (older events) stays selectable when a link names it.
  const t = await getT();
  const known: readonly string[] = AUDIT_ACTION_NAMES;
  const actions = values.action && !known.includes(values.action) ? [...known, values.action] : known;
  return (
    <form
      method="get"
      action={action}
      aria-label={t("audit.filters.label")}
      className="grid grid-cols-1 gap-3 rounded-md border border-line p-3 sm:grid-cols-2 lg:grid-cols-4"
    >
      {!fixed.includes("actor") && (
        <Field label={t("audit.filters.actor")} htmlFor="f-actor">
          <input id="f-actor" name="actor" defaultValue={values.actor ?? ""} placeholder={t("audit.filters.actorPlaceholder")} className={INPUT} />
        </Field>
      )}
      {!fixed.includes("customer") && (
        <Field label={t("audit.filters.customer")} htmlFor="f-customer">
          <input id="f-customer" name="customer" defaultValue={values.customer ?? ""} className={`${INPUT} font-mono`} />
        </Field>
      )}
      <Field label={t("audit.filters.address")} htmlFor="f-address">
        <input id="f-address" name="address" defaultValue={values.address ?? ""} className={`${INPUT} font-mono`} />
      </Field>
      <Field label={t("audit.filters.session")} htmlFor="f-session">
        <input id="f-session" name="session" defaultValue={values.session ?? ""} className={`${INPUT} font-mono`} />
      </Field>
      <Field label={t("audit.filters.action")} htmlFor="f-action">
        <select id="f-action" name="action" defaultValue={values.action ?? ""} className={INPUT}>
          <option value="">{t("audit.filters.anyAction")}</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {actionLabel(t, a)} ({a})
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("audit.filters.outcome")} htmlFor="f-outcome">
        <select id="f-outcome" name="outcome" defaultValue={values.outcome ?? ""} className={INPUT}>
          <option value="">{t("audit.filters.anyOutcome")}</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {outcomeText(t, o)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("audit.filters.from")} htmlFor="f-from">
        <input id="f-from" name="from" type="date" defaultValue={asDate(values.from)} className={INPUT} />
      </Field>
      <Field label={t("audit.filters.to")} htmlFor="f-to">
        <input id="f-to" name="to" type="date" defaultValue={asDate(values.to)} className={INPUT} />
      </Field>
      {values.limit && <input type="hidden" name="limit" value={values.limit} />}
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-2">
        <button type="submit" className={BUTTON}>
          {t("audit.filters.apply")}
        </button>
        <Link href={action} className={`${LINK} py-1.5 text-sm`}>
          {t("audit.filters.clear")}
        </Link>
      </div>
    </form>
  );
}
