import type { NextRequest } from "next/server";
import { deleteViewForSession, renameViewForSession } from "@/lib/customers/saved-view-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// Renames one of the signed-in staff member's own views: { name }.
export const PATCH = apiRoute(async (request: NextRequest, context: Context, requestId) => {
  const { id } = await context.params;
  const body: unknown = await request.json().catch(() => undefined);
  const view = await renameViewForSession(id, body, requestId);
  return Response.json(view, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

// Deletes one of the signed-in staff member's own views.
export const DELETE = apiRoute(async (_request: NextRequest, context: Context, requestId) => {
  const { id } = await context.params;
  const view = await deleteViewForSession(id, requestId);
  return Response.json(view, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
