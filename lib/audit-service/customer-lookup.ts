import "server-only";
import { audited } from "@/lib/access/gate";
import { AUDIT_READERS } from "@/lib/roles";
import { fullName } from "@/lib/customers/format";
import { getDevdraft } from "@/lib/devdraft";

export type CustomerMatch = { id: string; name: string };

// One page of Devdraft's email filter; the filter matches any address containing the text.
const TAKE = 100;

export interface CustomerLookup {
  /** Customers whose email is exactly the one asked for (case-insensitive). */
  matches: CustomerMatch[];
  /** Devdraft's page was full and none of it matched exactly: the customer may be further on. */
  incomplete: boolean;
}

/**
 * An auditor's lookup of a data subject by email (`customer.lookup`): Devdraft's email filter, narrowed to exact
 * matches, whose ids are the event's targets because they are what the auditor is shown.
 */
export function lookupCustomersByEmail(email: string, requestId: string): Promise<CustomerLookup> {
  return audited({
    action: "customer.lookup",
    roles: AUDIT_READERS,
    requestId,
    query: { email },
    // The auditor is waiting for this answer: a page view's lane and their own share, but never a stale answer.
    run: async (staff) => {
      const page = await getDevdraft().listCustomers({ email, take: TAKE, skip: 0 }, { lane: "interactive", who: staff.id });
      const matches = page.customers
        .filter((c) => c.email?.trim().toLowerCase() === email)
        .map((c) => ({ id: c.id, name: fullName(c.first_name, c.last_name) }));
      return {
        value: { matches, incomplete: matches.length === 0 && page.customers.length >= TAKE },
        targets: matches.map((m) => m.id),
        query: { email },
      };
    },
  });
}
