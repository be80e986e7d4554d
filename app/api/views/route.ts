import type { NextRequest } from "next/server";
import { createViewForSession, finderDataForSession } from "@/lib/customers/saved-view-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// The signed-in staff member's saved views (their own and the shared ones) and recently viewed customer ids.
export const GET = apiRoute(async (_request: NextRequest, _context: unknown, requestId) => {
  const data = await finderDataForSession(requestId);
  return Response.json(data, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

// Saves a view: { name, query, shared? }.
export const POST = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const body: unknown = await request.json().catch(() => undefined);
  const view = await createViewForSession(body, requestId);
  return Response.json(view, { status: 201, headers: { ...NO_STORE, "x-request-id": requestId } });
});
