/**
 * A customer as the portal answers it, server and browser alike: the List page's spelling, whatever variant Devdraft
 * sent (lib/devdraft/schemas.ts reads Devdraft's answers into it; lib/customers/answers.ts checks the portal's own in
 * the browser). Pure types, no Node APIs.
 */
export type Customer = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone_number: string | null;
  customer_type: string | null;
  status: string | null;
  last_spent: number | null;
  /** ISO 4217; Devdraft sends none, which means USD. */
  currency: string | null;
  last_purchase_date: string | null;
  appId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
};
