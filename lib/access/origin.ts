import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";
import type { AuditOrigin } from "@/lib/audit/input";
import { trustedClientAddress } from "@/lib/auth/client-address";
import { sessionState } from "@/lib/auth/session";

/** The origin of an event from request headers: the client address through TRUSTED_PROXY_HOPS and the user agent. */
export function originFromHeaders(get: (name: string) => string | null | undefined, sessionId: string | null): AuditOrigin {
  return {
    sessionId,
    clientAddress: trustedClientAddress(get("x-forwarded-for") ?? undefined),
    userAgent: get("user-agent") ?? null,
  };
}

/** Where the current request came from and in which sign-in (the session's public id; null without one). */
export async function requestOrigin(): Promise<AuditOrigin> {
  const [h, state] = await Promise.all([requestHeaders(), sessionState()]);
  return originFromHeaders((name) => h.get(name), state.state === "none" ? null : state.state === "live" ? state.session.id : state.sessionId);
}

/** The origin of the current request under an identity other than the session cookie's (an API token's `token:<id>`). */
export async function requestOriginAs(sessionId: string | null): Promise<AuditOrigin> {
  const h = await requestHeaders();
  return originFromHeaders((name) => h.get(name), sessionId);
}
