import type { NextRequest } from "next/server";
import { saveColumnsForSession } from "@/lib/customers/column-prefs-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Stores the signed-in staff member's arrangement of the customer table: { columns: [...], density }.
export const PUT = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const body: unknown = await request.json().catch(() => undefined);
  const prefs = await saveColumnsForSession(body, requestId);
  return Response.json(prefs, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
