import type { CustomerRow } from "./use-customers";

// The browser's own check of the list handler's answer, without shipping a schema library to every page:
// a row it cannot draw makes the page an error, never a blank cell.
const TEXT_FIELDS = ["first_name", "last_name", "email", "phone_number", "customer_type", "status", "last_purchase_date", "appId", "createdAt", "updatedAt"] as const;

const isText = (v: unknown) => v === null || typeof v === "string";

function toRow(value: unknown): CustomerRow | null {
  if (!value || typeof value !== "object" || !("id" in value) || typeof value.id !== "string") return null;
  const record: Record<string, unknown> = { ...value };
  if (!TEXT_FIELDS.every((field) => isText(record[field]))) return null;
  const spent = record.last_spent;
  if (spent !== null && typeof spent !== "number") return null;
  const currency = record.currency ?? null;
  if (!isText(currency)) return null;
  const masked = record.masked;
  if (masked !== undefined && typeof masked !== "boolean") return null;
  const text = (field: (typeof TEXT_FIELDS)[number]) => {
    const v = record[field];
    return typeof v === "string" ? v : null;
  };
  return {
    id: value.id,
    first_name: text("first_name"),
    last_name: text("last_name"),
    email: text("email"),
    phone_number: text("phone_number"),
    customer_type: text("customer_type"),
    status: text("status"),
    last_spent: typeof spent === "number" ? spent : null,
    currency: typeof currency === "string" ? currency : null,
    last_purchase_date: text("last_purchase_date"),
    appId: text("appId"),
    createdAt: text("createdAt"),
    updatedAt: text("updatedAt"),
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
