/**
 * A customer's text fields, each a string or null: the List page's spelling, whatever variant Devdraft sent. Pure, so
 * the browser's reading (lib/customers/answers.ts), the contract (schema.ts) and Devdraft's reader
 * (lib/devdraft/schemas.ts) share the one list. The rest of a customer is `id`, `last_spent` and `currency`.
 */
export const CUSTOMER_TEXT_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone_number",
  "customer_type",
  "status",
  "last_purchase_date",
  "appId",
  "createdAt",
  "updatedAt",
] as const;
export type CustomerTextField = (typeof CUSTOMER_TEXT_FIELDS)[number];

/** One value per text field, built by `valueOf`. */
export function textFieldsOf<T>(valueOf: (field: CustomerTextField) => T): Record<CustomerTextField, T> {
  return Object.fromEntries(CUSTOMER_TEXT_FIELDS.map((field) => [field, valueOf(field)])) as Record<CustomerTextField, T>;
}
