import type { NextRequest } from "next/server";
import { listCustomersFor } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const page = await listCustomersFor(request.nextUrl.searchParams, requestId);
  const headers: Record<string, string> = { ...NO_STORE, "x-request-id": requestId };
  if (page.total !== null) headers["x-total-count"] = String(page.total);
  return Response.json(page.customers, { headers });
});
