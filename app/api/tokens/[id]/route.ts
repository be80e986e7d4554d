import type { NextRequest } from "next/server";
import { revokeTokenForSession } from "@/lib/staff/token-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Revokes one of the signed-in staff member's own tokens.
export const DELETE = apiRoute(async (_request: NextRequest, context: { params: Promise<{ id: string }> }, requestId) => {
  const { id } = await context.params;
  const token = await revokeTokenForSession(id, requestId);
  return Response.json(token, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
