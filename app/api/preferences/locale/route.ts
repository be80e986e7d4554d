import type { NextRequest } from "next/server";
import { saveLocaleForSession } from "@/lib/locale/preference";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

// Stores the signed-in staff member's language: { locale: "en" | "de" }. Its messages stay English (for scripts).
export const PUT = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const body: unknown = await request.json().catch(() => undefined);
  const saved = await saveLocaleForSession(body, requestId);
  return Response.json(saved, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
