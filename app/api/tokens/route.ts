import type { NextRequest } from "next/server";
import { createTokenForSession } from "@/lib/staff/token-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Creates a personal API token for the signed-in staff member; the only answer that ever holds its secret.
export const POST = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const body: unknown = await request.json().catch(() => undefined);
  const token = await createTokenForSession(body, requestId);
  return Response.json(token, { status: 201, headers: { ...NO_STORE, "x-request-id": requestId } });
});
