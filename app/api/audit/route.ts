import type { NextRequest } from "next/server";
import { auditReaderAccess } from "@/lib/audit-service/reader-access";
import { toPublicEvent } from "@/lib/audit/present";
import { asOfHeader, auditReadSource } from "@/lib/audit/read-source";
import { searchEvents } from "@/lib/audit/search";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const { filter } = await auditReaderAccess("audit.view", request.nextUrl.searchParams, requestId, { path: "/api/audit" });
  const source = await auditReadSource();
  const page = await searchEvents(source.db, filter);
  return Response.json({ ...page, events: page.events.map(toPublicEvent) }, { headers: { ...NO_STORE, "x-request-id": requestId, ...asOfHeader(source) } });
});
