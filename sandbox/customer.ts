export const CUSTOMER_STATUSES = ["ACTIVE", "BLACKLISTED", "DEACTIVATED"] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** The List page's four types come first; the OpenAPI spec adds the rest (accepted on create/update). */
export const LIST_CUSTOMER_TYPES = ["Individual", "Business", "Enterprise", "Non-Profit"] as const;
export const ACCEPTED_CUSTOMER_TYPES = [...LIST_CUSTOMER_TYPES, "Startup", "Small Business", "Medium Business", "Government"] as const;
export type CustomerType = (typeof ACCEPTED_CUSTOMER_TYPES)[number];

/** Stored form: timestamps as epoch milliseconds, formatted when answered. */
export interface CustomerRecord {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone_number: string;
  customer_type: CustomerType;
  status: CustomerStatus;
  last_spent: number;
  last_purchase_date: number | null;
  appId: string;
  createdAt: number;
  updatedAt: number;
}

export type TimestampStyle = "camel" | "snake";

export type WireCustomer = Record<string, string | number | null>;

export function toWire(record: CustomerRecord, style: TimestampStyle): WireCustomer {
  const created = new Date(record.createdAt).toISOString();
  const updated = new Date(record.updatedAt).toISOString();
  const base: WireCustomer = {
    id: record.id,
    first_name: record.first_name,
    last_name: record.last_name,
    email: record.email,
    phone_number: record.phone_number,
    customer_type: record.customer_type,
    status: record.status,
    last_spent: record.last_spent,
    last_purchase_date: record.last_purchase_date === null ? null : new Date(record.last_purchase_date).toISOString(),
    appId: record.appId,
    app_id: record.appId,
  };
  if (style === "snake") return { ...base, created_at: created, updated_at: updated };
  return { ...base, createdAt: created, updatedAt: updated };
}
