import { getCustomerFor } from "@/lib/customers/service";
import { errorResponse, NO_STORE } from "@/lib/http/api-error";
import { requestId as currentRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const requestId = await currentRequestId();
  try {
    const customer = await getCustomerFor((await params).id, requestId, "customer.view");
    return Response.json(customer, { headers: { ...NO_STORE, "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
