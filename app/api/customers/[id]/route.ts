import type { NextRequest } from "next/server";
import { asOfHeaders, getCustomerFor } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// A customer whose status is sensitive needs `?reason=…&ticket=…` (a read, so a GET; see docs/audit.md).
export const GET = apiRoute(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }, requestId) => {
  const search = request.nextUrl.searchParams;
  const reason = { reason: search.get("reason") ?? undefined, ticket: search.get("ticket") ?? undefined };
  const answer = await getCustomerFor((await params).id, requestId, "customer.view", reason);
  return Response.json(answer.customer, { headers: { ...NO_STORE, "x-request-id": requestId, ...asOfHeaders(answer) } });
});
