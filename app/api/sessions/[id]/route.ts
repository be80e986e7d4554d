import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";
import { revokeSession } from "@/lib/staff/sessions-service";

export const dynamic = "force-dynamic";

/** Ends one session: one's own, or anyone's for an admin. */
export const DELETE = apiRoute(async (_request, context: { params: Promise<{ id: string }> }, requestId) => {
  const { id } = await context.params;
  const result = await revokeSession(requestId, id);
  return Response.json(result, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
