import { revokeExportGrant } from "@/lib/staff/grant-service";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/** Revokes a live grant now; one already revoked or expired is refused (400) and nothing changes. */
export const DELETE = apiRoute(async (_request: Request, { params }: { params: Promise<{ id: string }> }, requestId) => {
  const g = await revokeExportGrant((await params).id, requestId);
  return Response.json({ id: g.id, revokedAt: g.revoked_at, expiresAt: g.expires_at }, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
