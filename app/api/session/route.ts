import { jsonError, NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";
import { sessionTimes } from "@/lib/staff/sessions-service";

export const dynamic = "force-dynamic";

/** The session's clock for the idle warning. Asking does not count as activity. */
export const GET = apiRoute(async (_request, _context: unknown, requestId) => {
  const times = await sessionTimes();
  if (!times) return jsonError(401, "Your session has ended", requestId);
  return Response.json(times, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
