import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";
import { anonymousRefusals } from "@/lib/access/gate";
import { originFromHeaders } from "@/lib/access/origin";
import { recordAudit } from "@/lib/audit";
import type { AuditOrigin } from "@/lib/audit/input";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import type { SessionRow } from "@/lib/auth/session-store";
import { findStaffById } from "@/lib/auth/staff-store";

/** Why a sign-in was refused, as the audit log records it. The person signing in is told none of this. */
const SIGNIN_REFUSALS = {
  malformed: { outcome: "invalid", refusal: "malformed input" },
  throttled: { outcome: "rate_limited", refusal: "too many failed sign-ins" },
  unknownEmail: { outcome: "denied", refusal: "unknown email" },
  wrongPassword: { outcome: "denied", refusal: "wrong password" },
  noPassword: { outcome: "denied", refusal: "no password set (single sign-on only)" },
  disabled: { outcome: "denied", refusal: "account disabled" },
  demoAccount: { outcome: "denied", refusal: "demo account outside demo mode" },
  notStaff: { outcome: "denied", refusal: "not a staff account" },
  unverified: { outcome: "denied", refusal: "email not verified by the identity provider" },
} as const;
export type SignInRefusal = keyof typeof SIGNIN_REFUSALS;

/**
 * The sign-in request's origin. next-auth runs its callbacks and events inside the route handler's request, so
 * next/headers answers there.
 */
async function authOrigin(sessionId: string | null): Promise<AuditOrigin> {
  const h = await requestHeaders();
  return originFromHeaders((name) => h.get(name), sessionId);
}

/** A refused sign-in: no session, so through the per-address flood summary; the email tried goes in `query`. */
export async function recordSignInRefusal(reason: SignInRefusal, email: string | null, provider: string): Promise<void> {
  await anonymousRefusals().refuse({
    actor: null,
    action: "auth.signin",
    targets: [],
    query: { email, provider },
    requestId: crypto.randomUUID(),
    ...SIGNIN_REFUSALS[reason],
    origin: await authOrigin(null),
  });
}

/** A sign-in that started a session `sid`; best effort, as a sign-in the log missed still leaves every read audited. */
export async function recordSignIn(staff: { id: string; email: string }, provider: string, sid: string): Promise<void> {
  await recordAudit({
    actor: staff,
    action: "auth.signin",
    targets: [],
    query: { provider },
    requestId: crypto.randomUUID(),
    outcome: "ok",
    origin: await authOrigin(sid),
  }).catch((err: unknown) => log.error({ err }, "could not record a sign-in"));
}

/** The sign-out that ended `session`, under the staff member as the store now names them. */
export async function recordSignOut(session: SessionRow): Promise<void> {
  const row = await findStaffById(await getDb(), session.staff_id);
  await recordAudit({
    actor: row ? { id: row.id, email: row.email } : null,
    action: "auth.signout",
    targets: [],
    query: {},
    requestId: await requestIdOf(),
    outcome: "ok",
    origin: await authOrigin(session.id),
  }).catch((err: unknown) => log.error({ err }, "could not record a sign-out"));
}

/** The request's own id where the proxy gave one (pages); next-auth's routes get a fresh one. */
async function requestIdOf(): Promise<string> {
  return (await requestHeaders()).get("x-request-id") ?? crypto.randomUUID();
}
