import type { NextRequest } from "next/server";
import { GRANTERS, grantExport } from "@/lib/staff/grant-service";
import { listGrants } from "@/lib/access/grants";
import { requireStaff } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/** Every grant, live and past (admins only). */
export const GET = apiRoute(async (_request: NextRequest, _context: unknown, requestId) => {
  await requireStaff(GRANTERS);
  const grants = await listGrants(await getDb());
  return Response.json({ grants }, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

/** `{ staffId, hours (1–72), reason, ticket }`: grants that agent export rights until now + hours. 201 with the grant. */
export const POST = apiRoute(async (request: Request, _context: unknown, requestId) => {
  const body: unknown = await request.json().catch(() => null);
  const g = await grantExport(body, requestId);
  const grant = { id: g.id, staffId: g.staff_id, permission: g.permission, reason: g.reason, createdAt: g.created_at, expiresAt: g.expires_at };
  return Response.json(grant, { status: 201, headers: { ...NO_STORE, "x-request-id": requestId, location: `/api/grants/${g.id}` } });
});
