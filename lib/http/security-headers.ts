// Security headers shared by every answer; the CSP carries a fresh nonce per request.
function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React's style attributes need inline styles; scripts are what the nonce guards.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const COMMON = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  "Cross-Origin-Opener-Policy": "same-origin",
} as const;
const HSTS = "max-age=63072000; includeSubDomains";

/** Pages: the nonce CSP and the common headers (set by proxy.ts per request). */
export function securityHeaders(nonce: string, production: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(nonce, !production),
    ...COMMON,
  };
  if (production) headers["Strict-Transport-Security"] = HSTS;
  return headers;
}

/** The API's answers are data, never documents: a CSP that allows nothing, and the common headers (next.config.ts). */
export function apiSecurityHeaders(production: boolean): Record<string, string> {
  const headers: Record<string, string> = { "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", ...COMMON };
  if (production) headers["Strict-Transport-Security"] = HSTS;
  return headers;
}
