import "server-only";
import type { NextRequest } from "next/server";
import { metrics } from "@/lib/observe/metrics";
import { newTiming, serverTimingHeader, STAGES, withTiming, type RequestTiming } from "@/lib/observe/timing";
import { traceRequest } from "@/lib/observe/tracing";
import { errorResponse, NO_STORE } from "./api-error";
import { withRequestScope } from "./request-scope";
import { CROSS_SITE_REFUSAL, isCrossSiteWrite } from "./same-origin";

/**
 * Every API handler is wrapped in this, because proxy.ts does not run for /api (see its matcher): the request
 * gets its own id (never a client's), a cross-site write is refused before the handler runs, and whatever the
 * handler throws becomes the portal's one error shape. The security headers come from next.config.ts.
 *
 * The handler runs in the request's scope (lib/http/request-scope.ts), where the session, the audit origin and the
 * language read the request's headers and cookies.
 *
 * It also starts the request's timing collector (lib/observe/timing.ts): the gate, validation, the Devdraft client
 * and the audit write add their stages to it, and the answer carries them as Server-Timing, in the metrics, and in a
 * trace when OpenTelemetry is on.
 */
export function apiRoute<Context>(handler: (request: NextRequest, context: Context, requestId: string) => Promise<Response>) {
  return async (request: NextRequest, context: Context): Promise<Response> => {
    const requestId = crypto.randomUUID();
    const timing = newTiming(requestId);
    let response: Response;
    if (isCrossSiteWrite(request)) {
      response = Response.json(CROSS_SITE_REFUSAL, { status: 403, headers: { ...NO_STORE, "x-request-id": requestId } });
    } else {
      response = await withRequestScope(request, () =>
        withTiming(timing, async () => {
          try {
            return await handler(request, context, requestId);
          } catch (err) {
            return errorResponse(err, requestId);
          }
        }),
      );
    }
    const totalMs = performance.now() - timing.start;
    try {
      response.headers.set("server-timing", serverTimingHeader(timing, totalMs));
    } catch {
      // A response with immutable headers (a redirect) goes without.
    }
    const route = await routeTemplate(request, context);
    observe(timing, route, request.method, response.status, totalMs);
    traceRequest(timing, route, request.method, response.status, totalMs);
    return response;
  };
}

function observe(timing: RequestTiming, route: string, method: string, status: number, totalMs: number): void {
  const m = metrics();
  const labels = { route, method, status: String(status) };
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, totalMs / 1000);
  for (let i = 0; i < STAGES.length; i++) {
    if ((timing.at[i] as number) >= 0) m.stageDuration.observe({ stage: STAGES[i] }, (timing.ms[i] as number) / 1000);
  }
}

/**
 * The route's template (`/api/customers/[id]`), never the raw path: each segment that is a dynamic parameter's
 * value is put back as its name, so no id (or query) becomes a metric label.
 */
async function routeTemplate(request: NextRequest, context: unknown): Promise<string> {
  const path = request.nextUrl.pathname;
  const params: unknown = context && typeof context === "object" && "params" in context ? await context.params : undefined;
  if (!params || typeof params !== "object") return path;
  const byValue = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") byValue.set(value, `[${name}]`);
    else if (Array.isArray(value)) for (const v of value) byValue.set(String(v), `[...${name}]`);
  }
  if (byValue.size === 0) return path;
  return path
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // Left as it is.
      }
      return byValue.get(decoded) ?? segment;
    })
    .join("/")
    .replace(/(\/\[\.\.\.[^\]]+\])+/g, (m) => m.slice(0, m.indexOf("]", 1) + 1));
}
