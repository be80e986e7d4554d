import { fullName } from "@/lib/customers/format";
import type { Customer } from "@/lib/devdraft/schemas";
import type { CsvCell } from "@/lib/csv/csv";

/** The list's columns in its order, the customer id first; "Contact" is a list control, not data. */
export const EXPORT_HEADER = ["Id", "Name", "Email", "Phone", "Type", "Status", "Last spent", "Last purchase", "Created"] as const;

/** An instant as ISO 8601 UTC; a value that is not a date is kept as Devdraft sent it. */
function isoDate(value: string | null): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** One customer as the CSV cells of EXPORT_HEADER: unmasked values, plain numbers, raw codes. */
export function customerCells(c: Customer): CsvCell[] {
  const hasName = [c.first_name, c.last_name].some((part) => part && part.trim());
  return [
    c.id,
    hasName ? fullName(c.first_name, c.last_name) : null,
    c.email,
    c.phone_number,
    c.customer_type,
    c.status,
    c.last_spent,
    isoDate(c.last_purchase_date),
    isoDate(c.createdAt),
  ];
}
