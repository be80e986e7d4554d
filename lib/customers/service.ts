import "server-only";
import { recordAudit } from "@/lib/audit";
import { AuthError, requireStaff, type Staff } from "@/lib/auth/session";
import { CUSTOMER_READERS } from "@/lib/auth/roles";
import { getDevdraft, DevdraftError, type Customer } from "@/lib/devdraft";
import { AuditUnavailableError, InvalidQueryError } from "@/lib/http/api-error";
import { log } from "@/lib/log";
import { validateCustomersQuery, type CustomersQuery } from "./query";
import { maskEmail, maskPhone } from "./mask";

type Action = "customers.list" | "customer.view" | "customer.reveal";
type Outcome = "ok" | "denied" | "invalid" | "rate_limited" | "upstream_error" | "not_found";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ListedCustomer = Customer & { masked: true };
export type CustomerPage = { customers: ListedCustomer[]; total: number | null; hasMore: boolean | null; query: CustomersQuery };

function outcomeOf(err: unknown): Outcome {
  if (err instanceof AuthError) return "denied";
  if (err instanceof InvalidQueryError) return "invalid";
  if (err instanceof DevdraftError) {
    if (err.kind === "rate_limited") return "rate_limited";
    if (err.kind === "not_found") return "not_found";
    if (err.kind === "bad_request") return "invalid";
  }
  return "upstream_error";
}

// Refusals and failures are on record too; if even that write fails, the original error still answers.
async function recordFailure(actor: Staff | null, action: Action, query: Record<string, unknown>, requestId: string, err: unknown) {
  log.warn({ requestId, staff: actor?.id ?? null, action, outcome: outcomeOf(err), reason: err instanceof Error ? err.message : String(err) }, "refused or failed");
  await recordAudit({
    actor: actor && { id: actor.id, email: actor.email },
    action,
    targets: [],
    query,
    requestId,
    outcome: outcomeOf(err),
  }).catch(() => undefined);
}

async function recordSuccess(actor: Staff, action: Action, targets: string[], query: Record<string, unknown>, requestId: string) {
  try {
    await recordAudit({ actor: { id: actor.id, email: actor.email }, action, targets, query, requestId, outcome: "ok" });
  } catch {
    throw new AuditUnavailableError("audit write failed");
  }
}

async function staffOrRecord(action: Action, query: Record<string, unknown>, requestId: string): Promise<Staff> {
  try {
    return await requireStaff(CUSTOMER_READERS);
  } catch (err) {
    await recordFailure(null, action, query, requestId, err);
    throw err;
  }
}

export function maskCustomer(c: Customer): ListedCustomer {
  return { ...c, email: maskEmail(c.email), phone_number: maskPhone(c.phone_number), masked: true };
}

/** One page of customers for the signed-in staff member: validated, fetched, on record, then masked. */
export async function listCustomersFor(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  requestId: string,
): Promise<CustomerPage> {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const staff = await staffOrRecord("customers.list", raw, requestId);
  const parsed = validateCustomersQuery(params);
  if (!parsed.ok) {
    const err = new InvalidQueryError(parsed.messages);
    await recordFailure(staff, "customers.list", raw, requestId, err);
    throw err;
  }
  try {
    const page = await getDevdraft().listCustomers(parsed.query);
    await recordSuccess(staff, "customers.list", page.customers.map((c) => c.id), parsed.query, requestId);
    log.info({ requestId, staff: staff.id, query: parsed.query, rows: page.customers.length, cached: page.cached }, "customers.list");
    return { customers: page.customers.map(maskCustomer), total: page.total, hasMore: page.hasMore, query: parsed.query };
  } catch (err) {
    if (!(err instanceof AuditUnavailableError)) await recordFailure(staff, "customers.list", parsed.query, requestId, err);
    throw err;
  }
}

/** One customer, unmasked, for the detail page (`customer.view`) or a Reveal (`customer.reveal`). */
export async function getCustomerFor(id: string, requestId: string, action: "customer.view" | "customer.reveal"): Promise<Customer> {
  const query = { id };
  const staff = await staffOrRecord(action, query, requestId);
  if (!UUID.test(id)) {
    const err = new InvalidQueryError("Validation failed (uuid is expected)");
    await recordFailure(staff, action, query, requestId, err);
    throw err;
  }
  try {
    const customer = await getDevdraft().getCustomer(id);
    await recordSuccess(staff, action, [customer.id], query, requestId);
    return customer;
  } catch (err) {
    if (!(err instanceof AuditUnavailableError)) await recordFailure(staff, action, query, requestId, err);
    throw err;
  }
}
