import type { NextRequest } from "next/server";
import { devdraftErrorResponse, listCustomersForToken } from "@/lib/customers/api-v0";
import { asOfHeaders } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Devdraft's List Customers for staff scripts with a personal API token (lib/customers/api-v0.ts).
export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  try {
    const { customers, ...asOf } = await listCustomersForToken(request.nextUrl.searchParams, requestId);
    return Response.json(customers, { headers: { ...NO_STORE, "x-request-id": requestId, ...asOfHeaders(asOf) } });
  } catch (err) {
    return devdraftErrorResponse(err, requestId);
  }
});
