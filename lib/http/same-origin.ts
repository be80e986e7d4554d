// Cross-site write refusal, shared by proxy.ts (pages) and apiRoute (the API, which the proxy does not run for).
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A state-changing request whose Origin is another site (or, without Origin, a browser that says cross-site). */
export function isCrossSiteWrite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  if (!origin) return request.headers.get("sec-fetch-site") === "cross-site";
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export const CROSS_SITE_REFUSAL = { statusCode: 403, message: "Cross-site request refused", error: "Forbidden" } as const;
