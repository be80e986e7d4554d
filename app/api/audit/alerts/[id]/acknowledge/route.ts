import { acknowledgeAlertDoor } from "@/lib/audit-service/alert-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/** `{ note? }`: acknowledges an open alert (auditors and admins). 409 when it already is, 404 when there is none. */
export const POST = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }, requestId) => {
  const text = await request.text();
  let body: unknown = null;
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = "not JSON";
    }
  }
  const a = await acknowledgeAlertDoor((await params).id, body, requestId);
  return Response.json(
    { id: a.id, acknowledgedAt: a.acknowledged_at, acknowledgedBy: a.acknowledged_by_email, note: a.ack_note },
    { headers: { ...NO_STORE, "x-request-id": requestId } },
  );
});
