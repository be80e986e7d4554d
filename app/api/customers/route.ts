import type { NextRequest } from "next/server";
import { asOfHeaders, listCustomersFor } from "@/lib/customers/service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const page = await listCustomersFor(request.nextUrl.searchParams, requestId);
  const headers: Record<string, string> = { ...NO_STORE, "x-request-id": requestId, ...asOfHeaders(page) };
  if (page.total !== null) headers["x-total-count"] = String(page.total);
  // Whether a next page exists, decided on the server so the browser never fetches one ahead to find out.
  headers["x-has-more"] = page.hasMore === null ? "unknown" : String(page.hasMore);
  return Response.json(page.customers, { headers });
});
