import "server-only";
import { headers } from "next/headers";
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
  const [h, state] = await Promise.all([headers(), sessionState()]);
  return originFromHeaders((name) => h.get(name), state.state === "none" ? null : state.state === "live" ? state.session.id : state.sessionId);
}
