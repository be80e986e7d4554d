import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { auditReaderAccess } from "@/lib/audit/reader-access";
import { toPublicEvent } from "@/lib/audit/present";
import { searchEvents } from "@/lib/audit/search";
import { errorResponse, NO_STORE } from "@/lib/http/api-error";
import { requestId as currentRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const requestId = await currentRequestId();
  try {
    const { filter } = await auditReaderAccess("audit.view", request.nextUrl.searchParams, requestId, { path: "/api/audit" });
    const page = await searchEvents(await getDb(), filter);
    return Response.json({ ...page, events: page.events.map(toPublicEvent) }, { headers: { ...NO_STORE, "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
