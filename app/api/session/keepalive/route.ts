import { jsonError, NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";
import { keepAlive } from "@/lib/staff/sessions-service";

export const dynamic = "force-dynamic";

/** "Stay signed in": counts as activity now. */
export const POST = apiRoute(async (_request, _context: unknown, requestId) => {
  const times = await keepAlive();
  if (!times) return jsonError(401, "Your session has ended", requestId);
  return Response.json(times, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
