import "server-only";
import type { NextRequest } from "next/server";
import { errorResponse, NO_STORE } from "./api-error";
import { CROSS_SITE_REFUSAL, isCrossSiteWrite } from "./same-origin";

/**
 * Every API handler is wrapped in this, because proxy.ts does not run for /api (see its matcher): the request
 * gets its own id (never a client's), a cross-site write is refused before the handler runs, and whatever the
 * handler throws becomes the portal's one error shape. The security headers come from next.config.ts.
 */
export function apiRoute<Context>(handler: (request: NextRequest, context: Context, requestId: string) => Promise<Response>) {
  return async (request: NextRequest, context: Context): Promise<Response> => {
    const requestId = crypto.randomUUID();
    if (isCrossSiteWrite(request)) {
      return Response.json(CROSS_SITE_REFUSAL, { status: 403, headers: { ...NO_STORE, "x-request-id": requestId } });
    }
    try {
      return await handler(request, context, requestId);
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}
