import { getCustomerFor } from "@/lib/customers/service";
import { errorResponse, NO_STORE } from "@/lib/http/api-error";
import { requestId as currentRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

// Reveal: the unmasked email and phone of one customer, recorded as `customer.reveal`.
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const requestId = await currentRequestId();
  try {
    const c = await getCustomerFor((await params).id, requestId, "customer.reveal");
    return Response.json({ id: c.id, email: c.email, phone_number: c.phone_number }, { headers: { ...NO_STORE, "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
