"use client";

import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { alertClass } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { PANEL } from "@/components/ui/styles";
import type { Contact, CustomerRow } from "@/lib/customers/answers";
import { formatMoney, fullName } from "@/lib/customers/format";
import { explainType } from "./customer-type";
import { RevealContact } from "./reveal-contact";
import { explainStatus, StatusBadge } from "./status-badge";

function Field({ label, name, children, note }: { label: string; name?: string; children: ReactNode; note?: string }) {
  return (
    <div className="grid gap-1 border-t border-slate-200 py-3 sm:grid-cols-[12rem_1fr] dark:border-slate-800">
      <dt className="flex flex-col text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
        {name && <code className="font-mono text-xs font-normal">{name}</code>}
      </dt>
      <dd className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 break-all">{children}</div>
        {note && <p className="text-sm text-slate-700 dark:text-slate-300">{note}</p>}
      </dd>
    </div>
  );
}

function Section({ id, title, children, headingRef }: { id: string; title: string; children: ReactNode; headingRef?: RefObject<HTMLHeadingElement | null> }) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-2">
      <h2 id={id} ref={headingRef} tabIndex={headingRef ? -1 : undefined} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

const NONE = <span className="text-slate-600 dark:text-slate-400">Not given</span>;

const PROFILE = ["id", "first_name", "last_name", "status", "customer_type"] as const;
const CONTACT = ["email", "phone_number"] as const;
/** Not a field of the customer: the portal's own mark that contact details are masked. */
const MARK = "masked";
const SHOWN_ABOVE = new Set<string>([...PROFILE, ...CONTACT, MARK]);

const LABELS: Record<string, string> = {
  last_spent: "Last spent",
  currency: "Currency",
  last_purchase_date: "Last purchase",
  appId: "App id",
  createdAt: "Created",
  updatedAt: "Updated",
};
const DATES = new Set(["last_purchase_date", "createdAt", "updatedAt"]);

/** A field's value as text: as it came, or its JSON when it is not a string, number or boolean. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

/** One of the upstream's other fields, drawn by its kind; anything the portal has no drawing for is shown as it came. */
function OtherValue({ c, field }: { c: CustomerRow; field: string }) {
  const value: unknown = (c as Record<string, unknown>)[field];
  if (field === "last_spent") {
    const money = formatMoney(c.last_spent, c.currency);
    return money ? <span className="tabular-nums">{money}</span> : NONE;
  }
  if (value === null || value === undefined || value === "") return NONE;
  const text = asText(value);
  if (DATES.has(field)) return <LocalTime value={text} withTime fallback="Not given" />;
  if (field === "appId") {
    return (
      <>
        <code className="font-mono text-sm">{text}</code>
        <CopyButton value={text} label="Copy app id" />
      </>
    );
  }
  return <span>{text}</span>;
}

function ContactValue({ value, label, revealed, numeric }: { value: string | null; label: string; revealed: boolean; numeric?: boolean }) {
  if (!value) return NONE;
  return (
    <>
      <span className={numeric ? "tabular-nums" : undefined}>{value}</span>
      {revealed ? <CopyButton value={value} label={label} /> : <span className="text-xs text-slate-700 dark:text-slate-300">(masked)</span>}
    </>
  );
}

/**
 * One customer in sections. It arrives masked (the page's `customer.view` sends no contact details); Reveal asks for
 * a reason and fetches them (`customer.reveal`), and only then do they appear, here and in the admin's raw JSON.
 */
export function CustomerDetail({ customer: c, showRaw }: { customer: CustomerRow; showRaw: boolean }) {
  const [contact, setContact] = useState<Contact | null>(null);
  const [note, setNote] = useState("");
  // The Reveal button goes away with the masked values: focus moves to the section's heading, not to the page's top.
  const contactHeading = useRef<HTMLHeadingElement>(null);
  // After the commit that removed the button and closed its dialog (which hands focus back to a button now gone).
  useEffect(() => {
    if (contact) contactHeading.current?.focus();
  }, [contact]);
  const shown = contact ? { ...c, ...contact } : c;
  // Revealed: the answer as the Reveal completed it, without the portal's "masked" mark.
  const raw = contact ? Object.fromEntries(Object.entries(shown).filter(([field]) => field !== MARK)) : shown;
  const others = Object.keys(c).filter((field) => !SHOWN_ABOVE.has(field));
  const name = fullName(c.first_name, c.last_name);
  return (
    <div className="flex flex-col gap-6">
      <Section id="profile" title="Profile">
        <dl className="border-b border-slate-200 dark:border-slate-800">
          <Field label="Customer id">
            <code className="font-mono text-sm">{c.id}</code>
            <CopyButton value={c.id} label="Copy id" />
          </Field>
          <Field label="First name">{c.first_name ?? NONE}</Field>
          <Field label="Last name">{c.last_name ?? NONE}</Field>
          <Field label="Status" note={explainStatus(c.status)}>
            <StatusBadge status={c.status} />
          </Field>
          <Field label="Type" note={explainType(c.customer_type)}>
            {c.customer_type ?? NONE}
          </Field>
        </dl>
      </Section>
      <Section id="contact" title="Contact" headingRef={contactHeading}>
        {contact ? (
          <p role="status" className={alertClass("info", false)}>
            {note} Recorded in the audit log with your reason.
          </p>
        ) : (
          <div className="flex flex-wrap items-center gap-3">
            <p className="text-sm text-slate-700 dark:text-slate-300">Masked until you reveal them with a reason; the reveal is recorded in the audit log.</p>
            <RevealContact
              id={c.id}
              name={name}
              onReveal={(revealed, message) => {
                setContact(revealed);
                setNote(message);
              }}
            />
          </div>
        )}
        <dl className="border-b border-slate-200 dark:border-slate-800">
          <Field label="Email">
            <ContactValue value={shown.email} label="Copy email" revealed={contact !== null} />
          </Field>
          <Field label="Phone">
            <ContactValue value={shown.phone_number} label="Copy phone" revealed={contact !== null} numeric />
          </Field>
        </dl>
      </Section>
      <Section id="other-fields" title="Other fields">
        <dl className="border-b border-slate-200 dark:border-slate-800">
          {others.map((field) => (
            <Field
              key={field}
              label={LABELS[field] ?? field}
              name={field}
              note={field === "last_spent" && !c.currency ? "Devdraft names no currency, which means US dollars." : undefined}
            >
              <OtherValue c={c} field={field} />
            </Field>
          ))}
        </dl>
      </Section>
      {showRaw && (
        <details className={PANEL}>
          <summary className="cursor-pointer text-sm font-medium">Raw answer (JSON){contact ? ", contact revealed" : ", contact masked"}</summary>
          <pre aria-label="Raw answer" tabIndex={0} className="mt-3 overflow-x-auto whitespace-pre text-xs">
            {JSON.stringify(raw, null, 2)}
          </pre>
        </details>
      )}
    </div>
  );
}
