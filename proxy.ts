import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { securityHeaders } from "@/lib/http/security-headers";
import { CROSS_SITE_REFUSAL, isCrossSiteWrite } from "@/lib/http/same-origin";

const PUBLIC_PATHS = ["/login"];

function isPublic(pathname: string): boolean {
  return PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

// Pages only. The first, optimistic gate: every page checks the session and role again on the server. The API is
// left out by the matcher: its handlers check the session themselves, apiRoute refuses cross-site writes and
// names the request, next.config.ts sets the headers (and next-auth guards its own routes with a CSRF token).
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders(nonce, process.env.NODE_ENV === "production");
  const { pathname, search } = request.nextUrl;

  if (isCrossSiteWrite(request)) {
    // A server action or any other write to a page must come from this origin.
    return Response.json(CROSS_SITE_REFUSAL, { status: 403, headers });
  }

  if (!isPublic(pathname)) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
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
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
