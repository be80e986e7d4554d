import "server-only";
import { requestHeaders, requestCookie } from "@/lib/http/request-scope";
import { AuthError } from "@/lib/errors";
import { cache } from "react";
import { recordAudit } from "@/lib/audit";
import type { Kysely } from "kysely";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/schema";
import { readPortalEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { trustedClientAddress } from "./client-address";
import type { Role } from "@/lib/roles";
import {
  END_REASONS,
  endSession,
  findSessionWithStaff,
  isFreshSignIn,
  type SessionPolicy,
  type SessionRow,
  sessionEnd,
  touchEveryMs,
  touchSession,
} from "./session-store";
import { demoAccountsAllowed } from "./seed";
import { decodeSessionCookie } from "./session-cookie";
import { isDemoEmail, type StaffRow } from "./staff-store";

export type Staff = { id: string; email: string; name: string; role: Role };

let policy: SessionPolicy | undefined;

/** The session settings, read once (lib/env.ts checks them at start-up). */
export function sessionPolicy(): SessionPolicy {
  if (!policy) {
    const env = readPortalEnv();
    policy = { idleMs: env.SESSION_IDLE_SECONDS * 1000, maxMs: env.SESSION_MAX_HOURS * 3_600_000, stepUpMs: env.STEP_UP_MINUTES * 60_000 };
  }
  return policy;
}

/** next-auth's session cookie name: `__Secure-` when the portal is served over https. */
export function sessionCookieName(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXTAUTH_URL?.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** The session secret inside a session cookie's value, or null when it is not a genuine cookie of ours. */
export async function sessionSecretOf(cookieValue: string | undefined): Promise<string | null> {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!cookieValue || !secret) return null;
  const claims = await decodeSessionCookie(cookieValue, secret).catch(() => null);
  return typeof claims?.sid === "string" ? claims.sid : null;
}

/** What the request's session cookie names: nothing, a session that has ended (and why), or a live one. */
export type SessionState =
  { state: "none" } | { state: "ended"; staffId: string; sessionId: string; reason: string } | { state: "live"; staff: Staff; session: SessionRow };

/**
 * The request's session, looked up in the store on every request (once per server render). An idle or expired
 * session is ended here, by whichever request sees it first on any instance, and that end is recorded once.
 */
export const sessionState = cache(async (): Promise<SessionState> => resolveSession(await getDb(), await requestCookie(sessionCookieName()), recordSessionEnd));

/** sessionState's work for one cookie value against one store; `onEnd` records an end this request saw first. */
export async function resolveSession(
  db: Kysely<Database>,
  cookieValue: string | undefined,
  onEnd: (staff: StaffRow, session: SessionRow, reason: string) => Promise<void>,
): Promise<SessionState> {
  const sid = await sessionSecretOf(cookieValue);
  if (!sid) return { state: "none" };
  const found = await findSessionWithStaff(db, sid);
  if (!found) return { state: "none" };
  const { session, staff } = found;
  const ended = (reason: string): SessionState => ({ state: "ended", staffId: session.staff_id, sessionId: session.id, reason });
  const end = sessionEnd(session, sessionPolicy());
  if (end === "ended") return ended(session.end_reason ?? END_REASONS.revoked);
  if (!staff || staff.disabled_at || (isDemoEmail(staff.email) && !demoAccountsAllowed())) {
    await endSession(db, session.id, END_REASONS.disabled, null);
    return ended(END_REASONS.disabled);
  }
  if (end) {
    const reason = end === "idle" ? END_REASONS.idle : END_REASONS.expired;
    if (await endSession(db, session.id, reason, null)) await onEnd(staff, session, reason);
    return ended(reason);
  }
  return { state: "live", staff: { id: staff.id, email: staff.email, name: staff.name, role: staff.role }, session };
}

async function recordSessionEnd(staff: StaffRow, session: SessionRow, reason: string): Promise<void> {
  const h = await requestHeaders();
  await recordAudit({
    actor: { id: staff.id, email: staff.email },
    action: "auth.session_expired",
    targets: [],
    query: { reason },
    requestId: h.get("x-request-id") ?? crypto.randomUUID(),
    outcome: "denied",
    refusal: reason,
    origin: {
      sessionId: session.id,
      clientAddress: trustedClientAddress(h.get("x-forwarded-for") ?? undefined),
      userAgent: h.get("user-agent") ?? null,
    },
  }).catch((err: unknown) => log.error({ err, session: session.id }, "could not record a session's end"));
}

/**
 * The signed-in, enabled staff member with the role the store holds now; null when signed out or ended. Counts as
 * activity for the idle timeout. Once per server render: the layout, the page and the services share one answer.
 */
export const currentStaff = cache(async (): Promise<Staff | null> => {
  const state = await sessionState();
  if (state.state !== "live") return null;
  if (Date.now() - Date.parse(state.session.last_seen_at) >= touchEveryMs(sessionPolicy())) {
    await touchSession(await getDb(), state.session.id);
  }
  return state.staff;
});

/** The same, without counting as activity: background polls must not keep an unattended session alive. */
export const currentStaffPassive = cache(async (): Promise<Staff | null> => {
  const state = await sessionState();
  return state.state === "live" ? state.staff : null;
});

/** Whether the live session's last sign-in is recent enough for a sensitive action (step-up). */
export async function signedInRecently(): Promise<boolean> {
  const state = await sessionState();
  return state.state === "live" && isFreshSignIn(state.session, sessionPolicy());
}

export async function requireStaff(roles: readonly Role[]): Promise<Staff> {
  const staff = await currentStaff();
  if (!staff) throw new AuthError(401, "Sign in to continue");
  if (!roles.includes(staff.role)) throw new AuthError(403, "Your role does not allow this");
  return staff;
}
