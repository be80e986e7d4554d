import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { formatMoney } from "@/lib/customers/format";
import type { Customer } from "@/lib/devdraft/schemas";
import { explainType } from "./customer-type";
import { explainStatus, StatusBadge } from "./status-badge";

function Field({ label, children, note }: { label: string; children: ReactNode; note?: string }) {
  return (
    <div className="grid gap-1 border-t border-slate-200 py-3 sm:grid-cols-[12rem_1fr] dark:border-slate-800">
      <dt className="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</dt>
      <dd className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 break-all">{children}</div>
        {note && <p className="text-sm text-slate-700 dark:text-slate-300">{note}</p>}
      </dd>
    </div>
  );
}

const NONE = <span className="text-slate-600 dark:text-slate-400">Not given</span>;

/** Every field Devdraft holds for one customer, unmasked (this page is recorded as `customer.view`). */
export function CustomerDetail({ customer: c }: { customer: Customer }) {
  const money = formatMoney(c.last_spent, c.currency);
  return (
    <dl className="border-b border-slate-200 dark:border-slate-800">
      <Field label="Customer id">
        <code className="font-mono text-sm">{c.id}</code>
        <CopyButton value={c.id} label="Copy id" />
      </Field>
      <Field label="First name">{c.first_name ?? NONE}</Field>
      <Field label="Last name">{c.last_name ?? NONE}</Field>
      <Field label="Email">
        {c.email ? (
          <>
            <span>{c.email}</span>
            <CopyButton value={c.email} label="Copy email" />
          </>
        ) : (
          NONE
        )}
      </Field>
      <Field label="Phone">
        {c.phone_number ? (
          <>
            <span className="tabular-nums">{c.phone_number}</span>
            <CopyButton value={c.phone_number} label="Copy phone" />
          </>
        ) : (
          NONE
        )}
      </Field>
      <Field label="Status" note={explainStatus(c.status)}>
        <StatusBadge status={c.status} />
      </Field>
      <Field label="Type" note={explainType(c.customer_type)}>
        {c.customer_type ?? NONE}
      </Field>
      <Field label="Last spent" note={c.currency ? undefined : "Devdraft names no currency, which means US dollars."}>
        {money ? <span className="tabular-nums">{money}</span> : NONE}
      </Field>
      <Field label="Last purchase">
        <LocalTime value={c.last_purchase_date} withTime fallback="Not given" />
      </Field>
      <Field label="Created">
        <LocalTime value={c.createdAt} withTime fallback="Not given" />
      </Field>
      <Field label="Updated">
        <LocalTime value={c.updatedAt} withTime fallback="Not given" />
      </Field>
      <Field label="App id">{c.appId ? <code className="font-mono text-sm">{c.appId}</code> : NONE}</Field>
    </dl>
  );
}
