import { getCustomerFor } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Reveal: the unmasked email and phone of one customer, recorded as `customer.reveal`.
export const POST = apiRoute(async (_request: Request, { params }: { params: Promise<{ id: string }> }, requestId) => {
  const c = await getCustomerFor((await params).id, requestId, "customer.reveal");
  return Response.json({ id: c.id, email: c.email, phone_number: c.phone_number }, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
