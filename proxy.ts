import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { decodeSessionToken } from "@/lib/auth/jwt";
import { securityHeaders } from "@/lib/http/security-headers";

const PUBLIC_PATHS = ["/login", "/api/auth", "/api/health"];

function isPublic(pathname: string): boolean {
  return PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isCrossSiteWrite(request: NextRequest): boolean {
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

// The first, optimistic gate: every page and handler checks the session and role again on the server.
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders(nonce, process.env.NODE_ENV === "production");
  const { pathname, search } = request.nextUrl;

  if (isCrossSiteWrite(request) && !pathname.startsWith("/api/auth/")) {
    // next-auth guards its own routes with a CSRF token; every other write must come from this origin.
    return Response.json({ statusCode: 403, message: "Cross-site request refused", error: "Forbidden" }, { status: 403, headers });
  }

  if (!isPublic(pathname) && !pathname.startsWith("/api/")) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET, decode: decodeSessionToken });
    if (!token) {
      const login = new URL("/login", request.url);
      login.searchParams.set("callbackUrl", `${pathname}${search}`);
      const redirect = NextResponse.redirect(login);
      for (const [k, v] of Object.entries(headers)) redirect.headers.set(k, v);
      return redirect;
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
  // Always our own id: a client-chosen one must never reach the audit log.
  const requestId = crypto.randomUUID();
  requestHeaders.set("x-request-id", requestId);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  // On every answer, pages too: the customers page carries customers, and its audit event is found by this id.
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
