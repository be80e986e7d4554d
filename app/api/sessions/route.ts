import { z } from "zod";
import { NO_STORE } from "@/lib/http/api-error";
import { InvalidQueryError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { listSessions, revokeAllSessions } from "@/lib/staff/sessions-service";

export const dynamic = "force-dynamic";

/** Open sessions: `?scope=all` for an admin's view of everyone's (recorded), else one's own. */
export const GET = apiRoute(async (request, _context: unknown, requestId) => {
  const scope = request.nextUrl.searchParams.get("scope") === "all" ? "all" : "own";
  const sessions = await listSessions(requestId, scope);
  return Response.json({ sessions }, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

const endAll = z.object({ staffId: z.string().min(1).max(64).optional() }).strict();

/** Ends every session of one person: one's own ("sign out everywhere") or, for an admin, anyone's. */
export const DELETE = apiRoute(async (request, _context: unknown, requestId) => {
  const raw: unknown = await request.json().catch(() => ({}));
  const parsed = endAll.safeParse(raw ?? {});
  if (!parsed.success) throw new InvalidQueryError(parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`));
  const result = await revokeAllSessions(requestId, parsed.data.staffId ?? null);
  return Response.json(result, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
