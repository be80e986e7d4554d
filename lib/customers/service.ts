import "server-only";
import { audited } from "@/lib/access/gate";
import { CUSTOMER_READERS } from "@/lib/auth/roles";
import { getDevdraft, type Customer } from "@/lib/devdraft";
import { InvalidQueryError } from "@/lib/http/api-error";
import { log } from "@/lib/log";
import { validateCustomersQuery, type CustomersQuery } from "./query";
import { maskEmail, maskPhone } from "./mask";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ListedCustomer = Customer & { masked: true };
/** `hasMore`: whether a next page exists; null when Devdraft cannot say without a second call (a full page of 100). */
export type CustomerPage = { customers: ListedCustomer[]; total: number | null; hasMore: boolean | null; query: CustomersQuery };

export function maskCustomer(c: Customer): ListedCustomer {
  return { ...c, email: maskEmail(c.email), phone_number: maskPhone(c.phone_number), masked: true };
}

/** One page of customers for the signed-in staff member: validated, fetched, on record, then masked. */
export async function listCustomersFor(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  requestId: string,
): Promise<CustomerPage> {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  return audited({
    action: "customers.list",
    roles: CUSTOMER_READERS,
    requestId,
    query: raw,
    async run(staff) {
      const parsed = validateCustomersQuery(params);
      if (!parsed.ok) throw new InvalidQueryError(parsed.messages);
      const page = await getDevdraft().listCustomers(parsed.query);
      log.info({ requestId, staff: staff.id, query: parsed.query, rows: page.customers.length, cached: page.cached }, "customers.list");
      return {
        value: { customers: page.customers.map(maskCustomer), total: page.total, hasMore: page.hasMore, query: parsed.query },
        targets: page.customers.map((c) => c.id),
        query: parsed.query,
      };
    },
  });
}

/** One customer, unmasked, for the detail page (`customer.view`) or a Reveal (`customer.reveal`). */
export async function getCustomerFor(id: string, requestId: string, action: "customer.view" | "customer.reveal"): Promise<Customer> {
  return audited({
    action,
    roles: CUSTOMER_READERS,
    requestId,
    query: { id },
    // Unmasked contact details need a recent sign-in (STEP_UP_MINUTES).
    stepUp: action === "customer.reveal",
    async run() {
      if (!UUID.test(id)) throw new InvalidQueryError("Validation failed (uuid is expected)");
      const customer = await getDevdraft().getCustomer(id);
      return { value: customer, targets: [customer.id] };
    },
  });
}
