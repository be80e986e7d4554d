"use client";

import { useIntlLocale, useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
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
    <div className="grid gap-1 border-t border-line py-3 sm:grid-cols-[12rem_1fr]">
      <dt className="flex flex-col text-sm font-medium text-muted">
        {label}
        {name && <code className="font-mono text-xs font-normal">{name}</code>}
      </dt>
      <dd className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 break-all">{children}</div>
        {note && <p className="text-sm text-muted">{note}</p>}
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

function NotGiven() {
  return <span className="text-muted">{useT()("detail.notGiven")}</span>;
}
const NONE = <NotGiven />;

const PROFILE = ["id", "first_name", "last_name", "status", "customer_type"] as const;
const CONTACT = ["email", "phone_number"] as const;
/** Not a field of the customer: the portal's own mark that contact details are masked. */
const MARK = "masked";
const SHOWN_ABOVE = new Set<string>([...PROFILE, ...CONTACT, MARK]);

const LABELS: Record<string, Key> = {
  last_spent: "detail.fields.last_spent",
  currency: "detail.fields.currency",
  last_purchase_date: "detail.fields.last_purchase_date",
  appId: "detail.fields.appId",
  createdAt: "detail.fields.createdAt",
  updatedAt: "detail.fields.updatedAt",
};
function labelOf(field: string, t: Translate<Key>): string {
  const key = Object.hasOwn(LABELS, field) ? LABELS[field] : undefined;
  return key ? t(key) : field;
}
const DATES = new Set(["last_purchase_date", "createdAt", "updatedAt"]);

/** A field's value as text: as it came, or its JSON when it is not a string, number or boolean. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

/** One of the upstream's other fields, drawn by its kind; anything the portal has no drawing for is shown as it came. */
function OtherValue({ c, field }: { c: CustomerRow; field: string }) {
  const t = useT();
  const locale = useIntlLocale();
  const value: unknown = (c as Record<string, unknown>)[field];
  if (field === "last_spent") {
    const money = formatMoney(c.last_spent, c.currency, locale);
    return money ? <span className="tabular-nums">{money}</span> : NONE;
  }
  if (value === null || value === undefined || value === "") return NONE;
  const text = asText(value);
  if (DATES.has(field)) return <LocalTime value={text} withTime fallback={t("detail.notGiven")} />;
  if (field === "appId") {
    return (
      <>
        <code className="font-mono text-sm">{text}</code>
        <CopyButton value={text} label={t("detail.copyAppId")} />
      </>
    );
  }
  return <span>{text}</span>;
}

function ContactValue({ value, label, revealed, numeric }: { value: string | null; label: string; revealed: boolean; numeric?: boolean }) {
  const t = useT();
  if (!value) return NONE;
  return (
    <>
      <span className={numeric ? "tabular-nums" : undefined}>{value}</span>
      {revealed ? <CopyButton value={value} label={label} /> : <span className="text-xs text-muted">{t("detail.masked")}</span>}
    </>
  );
}

/**
 * One customer in sections. It arrives masked (the page's `customer.view` sends no contact details); Reveal asks for
 * a reason and fetches them (`customer.reveal`), and only then do they appear, here and in the admin's raw JSON.
 */
export function CustomerDetail({ customer: c, showRaw }: { customer: CustomerRow; showRaw: boolean }) {
  const t = useT();
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
  const name = fullName(c.first_name, c.last_name, t("customers.noName"));
  return (
    <div className="flex flex-col gap-stack">
      <Section id="profile" title={t("detail.profile")}>
        <dl className="border-b border-line">
          <Field label={t("detail.customerId")}>
            <code className="font-mono text-sm">{c.id}</code>
            <CopyButton value={c.id} label={t("detail.copyId")} />
          </Field>
          <Field label={t("detail.firstName")}>{c.first_name ?? NONE}</Field>
          <Field label={t("detail.lastName")}>{c.last_name ?? NONE}</Field>
          <Field label={t("detail.status")} note={explainStatus(c.status, t)}>
            <StatusBadge status={c.status} />
          </Field>
          <Field label={t("detail.type")} note={explainType(c.customer_type, t)}>
            {c.customer_type ?? NONE}
          </Field>
        </dl>
      </Section>
      <Section id="contact" title={t("detail.contact")} headingRef={contactHeading}>
        {contact ? (
          <p role="status" className={alertClass("info", false)}>
            {t("detail.revealedNote", { note })}
          </p>
        ) : (
          <div className="flex flex-wrap items-center gap-3">
            <p className="text-sm text-muted">{t("detail.maskedNote")}</p>
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
        <dl className="border-b border-line">
          <Field label={t("detail.email")}>
            <ContactValue value={shown.email} label={t("detail.copyEmail")} revealed={contact !== null} />
          </Field>
          <Field label={t("detail.phone")}>
            <ContactValue value={shown.phone_number} label={t("detail.copyPhone")} revealed={contact !== null} numeric />
          </Field>
        </dl>
      </Section>
      <Section id="other-fields" title={t("detail.otherFields")}>
        <dl className="border-b border-line">
          {others.map((field) => (
            <Field key={field} label={labelOf(field, t)} name={field} note={field === "last_spent" && !c.currency ? t("detail.noCurrency") : undefined}>
              <OtherValue c={c} field={field} />
            </Field>
          ))}
        </dl>
      </Section>
      {showRaw && (
        <details className={PANEL}>
          <summary className="cursor-pointer text-sm font-medium">{contact ? t("detail.rawRevealed") : t("detail.rawMasked")}</summary>
          <pre aria-label={t("detail.raw")} tabIndex={0} className="mt-3 overflow-x-auto whitespace-pre text-xs">
            {JSON.stringify(raw, null, 2)}
          </pre>
        </details>
      )}
    </div>
  );
}
