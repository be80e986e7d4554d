import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";
import { audited } from "@/lib/access/gate";
import { getDb } from "@/lib/db";
import { NotFoundError, TooManyAttemptsError } from "@/lib/errors";
import { trustedClientAddress } from "@/lib/auth/client-address";
import { verifyPassword } from "@/lib/auth/password";
import { ROLES } from "@/lib/roles";
import { sessionPolicy, sessionState, type Staff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import {
  END_REASONS,
  endSession,
  endStaffSessions,
  findSessionById,
  idleDeadline,
  listOpenSessions,
  markAuthenticated,
  type SessionRow,
  sessionEnd,
  touchSession,
} from "@/lib/auth/session-store";
import type { SessionView } from "@/lib/auth/session-view";
import { findStaffById } from "@/lib/auth/staff-store";
import { releaseAttempt, reserveAttempt } from "@/lib/auth/throttle";

/** What the browser needs to warn before the idle timeout: all instants in epoch ms. */
export type SessionTimes = { idleEndsAt: number; endsAt: number; idleMs: number; stepUpUntil: number; provider: string };

function timesOf(row: SessionRow): SessionTimes {
  const policy = sessionPolicy();
  return {
    idleEndsAt: idleDeadline(row, policy),
    endsAt: Date.parse(row.expires_at),
    idleMs: policy.idleMs,
    stepUpUntil: Date.parse(row.authenticated_at) + policy.stepUpMs,
    provider: row.provider,
  };
}

/** The live session's clock without touching it (the idle warning polls this); null when it is not live. */
export async function sessionTimes(): Promise<SessionTimes | null> {
  const state = await sessionState();
  return state.state === "live" ? timesOf(state.session) : null;
}

/** "Stay signed in": activity now, whenever the last was. */
export async function keepAlive(): Promise<SessionTimes | null> {
  const state = await sessionState();
  if (state.state !== "live") return null;
  const now = new Date();
  await touchSession(await getDb(), state.session.id, now);
  return timesOf({ ...state.session, last_seen_at: now.toISOString() });
}

async function currentSessionId(): Promise<string | null> {
  const state = await sessionState();
  return state.state === "live" ? state.session.id : null;
}

/**
 * Open sessions: the signed-in person's own, or (admins, recorded) everyone's. Sessions found idle or past their
 * lifetime are left out: they end on their next request.
 */
export async function listSessions(requestId: string, scope: "own" | "all"): Promise<SessionView[]> {
  const current = await currentSessionId();
  const load = async (staff: Staff) => {
    const policy = sessionPolicy();
    const rows = await listOpenSessions(await getDb(), scope === "own" ? staff.id : undefined);
    return rows
      .filter((r) => sessionEnd(r, policy) === null)
      .map((r) => ({
        id: r.id,
        staffId: r.staff_id,
        email: r.staff_email,
        name: r.staff_name,
        provider: r.provider,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
        clientAddress: r.client_address,
        userAgent: r.user_agent,
        current: r.id === current,
      }));
  };
  if (scope === "own") {
    return audited({
      action: "session.list",
      roles: ROLES,
      requestId,
      query: { scope },
      record: "refusals",
      run: async (staff) => ({ value: await load(staff) }),
    });
  }
  return audited({ action: "session.list", roles: ["admin"], requestId, query: { scope }, run: async (staff) => ({ value: await load(staff) }) });
}

/** Ends one session: its owner's own, or anyone's for an admin. Effective on that session's next request. */
export async function revokeSession(requestId: string, id: string): Promise<{ ended: boolean; self: boolean }> {
  const current = await currentSessionId();
  return audited({
    action: "session.revoke",
    roles: ROLES,
    requestId,
    query: { session: id.slice(0, 64) },
    async run(staff) {
      const db = await getDb();
      const row = await findSessionById(db, id);
      // Another person's session is "not found" to a non-admin: which ids exist is not theirs to learn.
      if (!row || (row.staff_id !== staff.id && staff.role !== "admin")) throw new NotFoundError("No such session");
      const own = row.staff_id === staff.id;
      const ended = await endSession(db, row.id, own ? END_REASONS.signedOut : END_REASONS.revoked, staff.id);
      const owner = own ? staff : await findStaffById(db, row.staff_id);
      return { value: { ended, self: row.id === current }, detail: { session: row.id, owner: owner?.email ?? row.staff_id, ended } };
    },
  });
}

/** Ends every session of one person: "sign out everywhere" for oneself, or an admin's for anyone. */
export async function revokeAllSessions(requestId: string, staffId: string | null): Promise<{ ended: number }> {
  return audited({
    action: "session.revoke_all",
    roles: ROLES,
    requestId,
    query: staffId ? { staff: staffId.slice(0, 64) } : {},
    async run(staff) {
      const targetId = staffId ?? staff.id;
      if (targetId !== staff.id && staff.role !== "admin") throw new AuthError(403, "Only an admin can end another person's sessions");
      const db = await getDb();
      const owner = targetId === staff.id ? staff : await findStaffById(db, targetId);
      if (!owner) throw new NotFoundError("No such staff member");
      const reason = targetId === staff.id ? END_REASONS.signedOutEverywhere : END_REASONS.revoked;
      const ended = await endStaffSessions(db, targetId, reason, staff.id);
      return { value: { ended: ended.length }, detail: { owner: owner.email, sessions: ended } };
    },
  });
}

/**
 * Step-up: the password again, inside a live session, before a sensitive action. Throttled exactly like sign-in
 * (the same attempt reservations), so a stolen session cannot be used to guess the password.
 */
export async function stepUp(requestId: string, password: string): Promise<SessionTimes> {
  return audited({
    action: "auth.step_up",
    roles: ROLES,
    requestId,
    query: {},
    async run(staff) {
      const state = await sessionState();
      if (state.state !== "live") throw new AuthError(401, "Sign in to continue");
      const db = await getDb();
      const row = await findStaffById(db, staff.id);
      if (!row?.password_hash) throw new AuthError(403, "Your account signs in through single sign-on: sign in again there", "sso_only");
      const ip = trustedClientAddress((await requestHeaders()).get("x-forwarded-for") ?? undefined);
      const reservation = await reserveAttempt(db, row.email, ip);
      if (!reservation.ok) throw new TooManyAttemptsError(Math.max(1, Math.ceil(reservation.retryAfterMs / 1000)));
      if (!(await verifyPassword(password, row.password_hash))) throw new AuthError(403, "That password is not right", "wrong_password");
      await releaseAttempt(db, reservation.attemptId, row.email, ip);
      const now = new Date();
      await markAuthenticated(db, state.session.id, now);
      return { value: timesOf({ ...state.session, authenticated_at: now.toISOString(), last_seen_at: now.toISOString() }) };
    },
  });
}
