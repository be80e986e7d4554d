import type { NextRequest } from "next/server";
import { listCustomersFor } from "@/lib/customers/service";
import { errorResponse, NO_STORE } from "@/lib/http/api-error";
import { requestId as currentRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const requestId = await currentRequestId();
  try {
    const page = await listCustomersFor(request.nextUrl.searchParams, requestId);
    const headers: Record<string, string> = { ...NO_STORE, "x-request-id": requestId };
    if (page.total !== null) headers["x-total-count"] = String(page.total);
    return Response.json(page.customers, { headers });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
