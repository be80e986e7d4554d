import { BUTTON, INPUT } from "./styles";
import { getT } from "@/lib/locale/server";

export type AccessReportFormValues = { customer: string; from: string; to: string };

function Field({ label, htmlFor, hint, children }: { label: string; htmlFor: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={htmlFor} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${htmlFor}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A plain GET form: the URL holds the request, so a report can be bookmarked, reloaded and linked to. */
export async function AccessReportForm({ values }: { values: AccessReportFormValues }) {
  const t = await getT();
  return (
    <form
      method="get"
      action="/audit/access-report"
      aria-label={t("audit.report.form")}
      className="grid grid-cols-1 gap-3 rounded-md border border-line p-3 sm:grid-cols-2 lg:grid-cols-4 print:hidden"
    >
      <div className="sm:col-span-2">
        <Field label={t("audit.report.customer")} htmlFor="r-customer" hint={t("audit.report.customerHint")}>
          <input
            id="r-customer"
            name="customer"
            required
            defaultValue={values.customer}
            aria-describedby="r-customer-hint"
            autoComplete="off"
            className={`${INPUT} font-mono`}
          />
        </Field>
      </div>
      <Field label={t("audit.filters.from")} htmlFor="r-from">
        <input id="r-from" name="from" type="date" required defaultValue={values.from} className={INPUT} />
      </Field>
      <Field label={t("audit.filters.to")} htmlFor="r-to">
        <input id="r-to" name="to" type="date" required defaultValue={values.to} className={INPUT} />
      </Field>
      <div className="sm:col-span-2 lg:col-span-4">
        <button type="submit" className={BUTTON}>
          {t("audit.report.run")}
        </button>
      </div>
    </form>
  );
}
