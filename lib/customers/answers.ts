import { CUSTOMER_TEXT_FIELDS, textFieldsOf } from "@/lib/contract/customer";
import type { CustomerRow } from "@/lib/contract/schema";

export type { CustomerRow };

// The browser's reading of lib/contract/schema.ts's list answer, without shipping a schema library to every page
// (answers.test.ts holds the two equal): a row it cannot draw makes the page an error, never a blank cell.
const isText = (v: unknown): v is string | null => v === null || typeof v === "string";

function toRow(value: unknown): CustomerRow | null {
  if (!value || typeof value !== "object" || !("id" in value) || typeof value.id !== "string") return null;
  const record: Record<string, unknown> = { ...value };
  if (!CUSTOMER_TEXT_FIELDS.every((field) => isText(record[field]))) return null;
  const spent = record.last_spent;
  // As the contract reads it: a finite number (zod refuses NaN and ±Infinity, which JSON cannot carry anyway).
  if (spent !== null && !(typeof spent === "number" && Number.isFinite(spent))) return null;
  const currency = record.currency ?? null;
  if (!isText(currency)) return null;
  const masked = record.masked;
  if (masked !== undefined && typeof masked !== "boolean") return null;
  return {
    id: value.id,
    ...textFieldsOf((field) => {
      const v = record[field];
      return typeof v === "string" ? v : null;
    }),
    last_spent: typeof spent === "number" ? spent : null,
    currency: typeof currency === "string" ? currency : null,
    ...(masked === undefined ? {} : { masked }),
  };
}

/** The rows of a list answer, or null when any row is not a customer the page can draw. */
export function parseCustomerRows(value: unknown): CustomerRow[] | null {
  if (!Array.isArray(value)) return null;
  const rows: CustomerRow[] = [];
  for (const item of value) {
    const row = toRow(item);
    if (!row) return null;
    rows.push(row);
  }
  return rows;
}

export type Contact = { email: string | null; phone_number: string | null };

/** The Reveal handler's answer, or null when it is not one. */
export function parseContact(value: unknown): Contact | null {
  if (!value || typeof value !== "object" || !("email" in value) || !("phone_number" in value)) return null;
  const { email, phone_number } = value;
  return isText(email) && isText(phone_number) ? { email: email ?? null, phone_number: phone_number ?? null } : null;
}

/** The messages of a portal error answer (`{statusCode, message, error}`, message a string or a list). */
export function apiMessages(body: unknown, status: number): string[] {
  const raw = body && typeof body === "object" && "message" in body ? body.message : null;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === "string" ? [raw] : [`The portal answered ${status}`];
}
