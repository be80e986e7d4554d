import { getCustomerFor } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (_request: Request, { params }: { params: Promise<{ id: string }> }, requestId) => {
  const customer = await getCustomerFor((await params).id, requestId, "customer.view");
  return Response.json(customer, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
