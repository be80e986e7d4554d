import { timingSafeEqual, createHash } from "node:crypto";
import type { NextRequest } from "next/server";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";
import { readPortalEnv } from "@/lib/env";
import { scrape } from "@/lib/http/metrics-scrape";

export const dynamic = "force-dynamic";

/**
 * Prometheus metrics (lib/observe/metrics.ts). Not a customer read, so not audited: it shows counts and latencies by
 * route template, outcome and sink, never a customer or a staff member. Without METRICS_TOKEN set it does not exist
 * (404); a missing or wrong bearer token is 401, compared in constant time.
 */
export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const token = readPortalEnv().METRICS_TOKEN;
  const headers = { ...NO_STORE, "x-request-id": requestId };
  if (token === undefined) return Response.json({ message: "Not found" }, { status: 404, headers });
  if (!sameSecret(request.headers.get("authorization") ?? "", `Bearer ${token}`)) {
    return Response.json({ message: "A metrics token is required" }, { status: 401, headers: { ...headers, "www-authenticate": 'Bearer realm="metrics"' } });
  }
  const { contentType, body } = await scrape();
  return new Response(body, { headers: { ...headers, "content-type": contentType } });
});

// Hashes first so the comparison takes the same time whatever the lengths.
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
