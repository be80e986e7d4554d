import "server-only";
import { audited } from "@/lib/access/gate";
import { tokenActor } from "@/lib/access/token-actor";
import { CUSTOMER_READERS } from "@/lib/roles";
import type { Customer } from "@/lib/devdraft";
import { DevdraftError } from "@/lib/devdraft/errors";
import { errorResponse, jsonError, NO_STORE } from "@/lib/http/api-error";
import { type AsOf, fetchListPage } from "./service";

// GET /api/v0/customers for staff scripts (issue 14, point 8): Devdraft's path, headers, query rules, answer
// and errors, so a script written for Devdraft runs unchanged against the portal with a personal API token.
// The call goes through the one gate (role, audit), the shared upstream budget and the client's cache.

/** A customer exactly as Devdraft's List page spells it (the portal's own `currency` is not Devdraft's). */
export type DevdraftListedCustomer = Omit<Customer, "currency"> & { app_id: string | null };

export function toDevdraftCustomer(c: Customer): DevdraftListedCustomer {
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email,
    phone_number: c.phone_number,
    customer_type: c.customer_type,
    status: c.status,
    last_spent: c.last_spent,
    last_purchase_date: c.last_purchase_date,
    appId: c.appId,
    app_id: c.appId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/**
 * One page for the token's owner: Devdraft's validation (every failing rule, its messages), then Devdraft's page
 * as Devdraft sends it, contact details included (scripts mail and export; the event says `api.customers.list`
 * so an auditor can tell it from the masked list).
 */
export async function listCustomersForToken(params: URLSearchParams, requestId: string): Promise<{ customers: DevdraftListedCustomer[] } & AsOf> {
  return audited({
    action: "api.customers.list",
    roles: CUSTOMER_READERS,
    requestId,
    query: Object.fromEntries(params),
    actor: tokenActor,
    async run(staff) {
      const { query, page, asOf, detail } = await fetchListPage(params, staff.id, requestId, "api.customers.list");
      return { value: { customers: page.customers.map(toDevdraftCustomer), ...asOf }, targets: page.customers.map((c) => c.id), query, detail };
    },
  });
}

/** Errors as Devdraft words them where Devdraft has a word (429 with `retry_after`, 500); the rest as the portal's. */
export function devdraftErrorResponse(err: unknown, requestId: string): Response {
  if (err instanceof DevdraftError && err.kind === "rate_limited") {
    const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 60_000) / 1000));
    return Response.json(
      { statusCode: 429, message: "Too many requests", error: "Too Many Requests", retry_after: seconds },
      { status: 429, headers: { ...NO_STORE, "x-request-id": requestId, "Retry-After": String(seconds) } },
    );
  }
  const portal = errorResponse(err, requestId);
  if (portal.status === 500) return jsonError(500, "Internal server error", requestId);
  return portal;
}
