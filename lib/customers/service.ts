import "server-only";
import { audited } from "@/lib/access/gate";
import { CUSTOMER_READERS } from "@/lib/roles";
import { getDevdraft, type CallOptions, type Customer, type Freshness } from "@/lib/devdraft";
import { checkAccessReason } from "@/lib/access/reasons";
import { isSensitiveStatus, readAccessSettings } from "@/lib/access/settings";
import { InvalidQueryError, ReasonRequiredError } from "@/lib/errors";
import { log } from "@/lib/log";
import { addStage } from "@/lib/observe/timing";
import type { CustomersQuery } from "@/lib/contract/query";
import { validateCustomersQuery } from "@/lib/contract/schema";
import { maskEmail, maskPhone } from "./mask";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ListedCustomer = Customer & { masked: true };
/** `hasMore`: whether a next page exists; null when Devdraft cannot say without a second call (a full page of 100). */
export type CustomerPage = { customers: ListedCustomer[]; total: number | null; hasMore: boolean | null; query: CustomersQuery } & AsOf;
/**
 * When Devdraft gave the answer (ISO 8601), and `stale`: Devdraft is out now, so this is the cache's last answer
 * (at most DEVDRAFT_STALE_MAX_SECONDS old). Sent as the `x-as-of` and `x-stale` headers and shown by the UI.
 */
export type AsOf = { asOf: string; stale: boolean };
export type CustomerAnswer = { customer: Customer } & AsOf;

/** The answer's time as headers: `x-as-of` always, `x-stale: true` when Devdraft is out and this is the last answer. */
export function asOfHeaders({ asOf, stale }: AsOf): Record<string, string> {
  return stale ? { "x-as-of": asOf, "x-stale": "true" } : { "x-as-of": asOf };
}

/** A staff member's own call: a page view's lane, their share of the budget, and the cache's last answer in an outage. */
function interactiveCall(staffId: string): CallOptions {
  return { lane: "interactive", who: staffId, serveStale: true };
}

/** The answer's time for the caller, and what its audit event says about a stale answer (each viewer's own). */
function asOfAnswer({ asOf, stale }: Freshness): { asOf: AsOf; detail?: Record<string, unknown> } {
  const at = new Date(asOf).toISOString();
  return { asOf: { asOf: at, stale }, ...(stale ? { detail: { stale: true, as_of: at } } : {}) };
}

export function maskCustomer(c: Customer): ListedCustomer {
  return { ...c, email: maskEmail(c.email), phone_number: maskPhone(c.phone_number), masked: true };
}

/**
 * A list request's common part, for the page and for API v0: Devdraft's validation (every failing rule, its
 * messages: a 400 and no upstream call), then the page fetched in the staff member's interactive lane, logged.
 */
export async function fetchListPage(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  staffId: string,
  requestId: string,
  action: string,
) {
  const validating = performance.now();
  const parsed = validateCustomersQuery(params);
  addStage("validate", validating);
  if (!parsed.ok) throw new InvalidQueryError(parsed.messages);
  const page = await getDevdraft().listCustomers(parsed.query, interactiveCall(staffId));
  log.info({ requestId, staff: staffId, query: parsed.query, rows: page.customers.length, cached: page.cached, stale: page.stale }, action);
  return { query: parsed.query, page, ...asOfAnswer(page) };
}

/** One page of customers for the signed-in staff member: validated, fetched, on record, then masked. */
export async function listCustomersFor(params: URLSearchParams | Record<string, string | string[] | undefined>, requestId: string): Promise<CustomerPage> {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  return audited({
    action: "customers.list",
    roles: CUSTOMER_READERS,
    requestId,
    query: raw,
    async run(staff) {
      const { query, page, asOf, detail } = await fetchListPage(params, staff.id, requestId, "customers.list");
      return {
        value: { customers: page.customers.map(maskCustomer), total: page.total, hasMore: page.hasMore, query, ...asOf },
        targets: page.customers.map((c) => c.id),
        query,
        detail,
      };
    },
  });
}

/** A reason as it came (query parameters or a JSON body); nothing given at all is `{}`. */
export type ReasonInput = { reason?: unknown; ticket?: unknown };

/**
 * A reason checked against the configured list: the event's purpose, or null when none was given and none is
 * needed yet. An invalid reason is refused at once, before anything is fetched.
 */
export function purposeOf(input: ReasonInput, required: boolean): string | null {
  const { ACCESS_REASONS } = readAccessSettings();
  const check = checkAccessReason(input, ACCESS_REASONS);
  if (check.ok) return check.purpose;
  if (check.missing && !required) return null;
  throw new ReasonRequiredError(check.messages, check.missing, ACCESS_REASONS);
}

/**
 * One customer, unmasked, for the detail page (`customer.view`) or a Reveal (`customer.reveal`).
 * A Reveal always needs a reason. A view needs one when the customer's status is sensitive (SENSITIVE_STATUSES):
 * the customer is fetched to learn the status, and without a reason the answer is a `reason_required` refusal
 * that names no customer and carries none of its data. A reason given is recorded as the event's purpose.
 */
export async function getCustomerFor(
  id: string,
  requestId: string,
  action: "customer.view" | "customer.reveal",
  reason: ReasonInput = {},
): Promise<CustomerAnswer> {
  return audited({
    action,
    roles: CUSTOMER_READERS,
    requestId,
    query: { id },
    // Unmasked contact details need a recent sign-in (STEP_UP_MINUTES).
    stepUp: action === "customer.reveal",
    async run(staff) {
      const validating = performance.now();
      try {
        if (!UUID.test(id)) throw new InvalidQueryError("Validation failed (uuid is expected)");
      } finally {
        addStage("validate", validating);
      }
      const purpose = purposeOf(reason, action === "customer.reveal");
      const { value: customer, ...freshness } = await getDevdraft().getCustomer(id, interactiveCall(staff.id));
      if (purpose === null && isSensitiveStatus(customer.status)) {
        const { ACCESS_REASONS } = readAccessSettings();
        throw new ReasonRequiredError(["This customer's status needs a reason for access: choose a reason and give a ticket reference"], true, ACCESS_REASONS);
      }
      const { asOf, detail } = asOfAnswer(freshness);
      return { value: { customer, ...asOf }, targets: [customer.id], purpose, detail };
    },
  });
}
