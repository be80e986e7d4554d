import { asOfHeaders, getCustomerFor } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Reveal: the unmasked email and phone of one customer, recorded as `customer.reveal` with the reason given in the
// JSON body `{ "reason": "…", "ticket": "…" }` (required: without one the answer is `reason_required`).
export const POST = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }, requestId) => {
  const body: unknown = await request.json().catch(() => null);
  const reason = body && typeof body === "object" ? (body as { reason?: unknown; ticket?: unknown }) : {};
  const answer = await getCustomerFor((await params).id, requestId, "customer.reveal", { reason: reason.reason, ticket: reason.ticket });
  const c = answer.customer;
  return Response.json(
    { id: c.id, email: c.email, phone_number: c.phone_number },
    { headers: { ...NO_STORE, "x-request-id": requestId, ...asOfHeaders(answer) } },
  );
});
