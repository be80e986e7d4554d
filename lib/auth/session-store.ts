import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, StaffSessionsTable } from "@/lib/db/schema";
import { staffRowSchema, type StaffRow } from "./staff-store";

/**
 * Server-side sessions. The session cookie (next-auth's encrypted JWT) carries a random secret; the store keeps
 * only its SHA-256, so a copy of the store cannot be replayed as cookies. Every request looks its session up, so an
 * ended session, a disabled person or a changed role takes effect on the next request on every instance.
 */
export type SessionRow = StaffSessionsTable;

export type SessionPolicy = {
  /** Inactivity after which a session ends (PCI DSS 8.2.8: 15 minutes). */
  idleMs: number;
  /** Lifetime from sign-in, whatever the activity. */
  maxMs: number;
  /** How recent the last sign-in must be for a sensitive action. */
  stepUpMs: number;
};

/** Why a session is not live. */
export type SessionEnd = "expired" | "idle" | "ended";

export const END_REASONS = {
  signedOut: "signed out",
  signedOutEverywhere: "signed out everywhere",
  revoked: "revoked by an admin",
  idle: "idle timeout",
  expired: "absolute lifetime reached",
  disabled: "account disabled",
  passwordChanged: "password changed",
  replaced: "replaced by a new sign-in",
} as const;

// Activity is written at most this often per session: a page view makes several requests in a second, and the
// idle clock needs no finer grain than this.
export function touchEveryMs(policy: SessionPolicy): number {
  return Math.min(15_000, Math.floor(policy.idleMs / 20));
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(
  db: Kysely<Database>,
  input: { staffId: string; provider: string; clientAddress: string | null; userAgent: string | null },
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ token: string; row: SessionRow }> {
  const token = randomBytes(32).toString("base64url");
  const at = now.toISOString();
  const row: SessionRow = {
    id: randomUUID(),
    token_hash: hashSessionToken(token),
    staff_id: input.staffId,
    provider: input.provider,
    created_at: at,
    authenticated_at: at,
    last_seen_at: at,
    expires_at: new Date(now.getTime() + policy.maxMs).toISOString(),
    ended_at: null,
    end_reason: null,
    ended_by: null,
    client_address: input.clientAddress,
    user_agent: input.userAgent?.slice(0, 256) ?? null,
  };
  await db.insertInto("staff_sessions").values(row).execute();
  return { token, row };
}

export type SessionWithStaff = { session: SessionRow; staff: StaffRow | null };

/** The session a cookie's secret names, with its person as the store holds them now: one query per request. */
export async function findSessionWithStaff(db: Kysely<Database>, token: string): Promise<SessionWithStaff | null> {
  const row = await db
    .selectFrom("staff_sessions")
    .leftJoin("staff", "staff.id", "staff_sessions.staff_id")
    .selectAll("staff_sessions")
    .select([
      "staff.email as s_email",
      "staff.name as s_name",
      "staff.role as s_role",
      "staff.password_hash as s_password_hash",
      "staff.disabled_at as s_disabled_at",
    ])
    .where("token_hash", "=", hashSessionToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const { s_email, s_name, s_role, s_password_hash, s_disabled_at, ...session } = row;
  const staff =
    s_email === null
      ? null
      : staffRowSchema.parse({ id: session.staff_id, email: s_email, name: s_name, role: s_role, password_hash: s_password_hash, disabled_at: s_disabled_at });
  return { session, staff };
}

export async function findSessionById(db: Kysely<Database>, id: string): Promise<SessionRow | null> {
  return (await db.selectFrom("staff_sessions").selectAll().where("id", "=", id).executeTakeFirst()) ?? null;
}

/** Null while the session is live; otherwise why it is not. */
export function sessionEnd(row: SessionRow, policy: SessionPolicy, now = new Date()): SessionEnd | null {
  if (row.ended_at) return "ended";
  const t = now.getTime();
  if (t >= Date.parse(row.expires_at)) return "expired";
  if (t >= idleDeadline(row, policy)) return "idle";
  return null;
}

export function idleDeadline(row: Pick<SessionRow, "last_seen_at" | "expires_at">, policy: SessionPolicy): number {
  return Math.min(Date.parse(row.last_seen_at) + policy.idleMs, Date.parse(row.expires_at));
}

export function isFreshSignIn(row: SessionRow, policy: SessionPolicy, now = new Date()): boolean {
  return now.getTime() - Date.parse(row.authenticated_at) < policy.stepUpMs;
}

/**
 * Ends a live session. True only for the one caller that ended it, so an end seen by several requests or
 * instances at once is recorded once.
 */
export async function endSession(db: Kysely<Database>, id: string, reason: string, endedBy: string | null, now = new Date()): Promise<boolean> {
  const res = await db
    .updateTable("staff_sessions")
    .set({ ended_at: now.toISOString(), end_reason: reason, ended_by: endedBy })
    .where("id", "=", id)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Ends every live session of one person (optionally but one); the ids ended. */
export async function endStaffSessions(
  db: Kysely<Database>,
  staffId: string,
  reason: string,
  endedBy: string | null,
  options: { except?: string; now?: Date } = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  let query = db
    .updateTable("staff_sessions")
    .set({ ended_at: now.toISOString(), end_reason: reason, ended_by: endedBy })
    .where("staff_id", "=", staffId)
    .where("ended_at", "is", null);
  if (options.except) query = query.where("id", "!=", options.except);
  const rows = await query.returning("id").execute();
  return rows.map((r) => r.id);
}

/** Records activity; never moves the clock back, so racing requests cannot shorten a session. */
export async function touchSession(db: Kysely<Database>, id: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db.updateTable("staff_sessions").set({ last_seen_at: at }).where("id", "=", id).where("ended_at", "is", null).where("last_seen_at", "<", at).execute();
}

/** A fresh proof of identity inside a live session (step-up); also counts as activity. */
export async function markAuthenticated(db: Kysely<Database>, id: string, now = new Date()): Promise<boolean> {
  const at = now.toISOString();
  const res = await db
    .updateTable("staff_sessions")
    .set({ authenticated_at: at, last_seen_at: at })
    .where("id", "=", id)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export type SessionListing = SessionRow & { staff_email: string; staff_name: string };

/** Sessions not yet marked ended, newest first: one person's, or everyone's. Idle or expired ones are marked by the caller. */
export async function listOpenSessions(db: Kysely<Database>, staffId?: string): Promise<SessionListing[]> {
  let query = db
    .selectFrom("staff_sessions")
    .innerJoin("staff", "staff.id", "staff_sessions.staff_id")
    .selectAll("staff_sessions")
    .select(["staff.email as staff_email", "staff.name as staff_name"])
    .where("staff_sessions.ended_at", "is", null)
    .orderBy("staff_sessions.created_at", "desc")
    .limit(500);
  if (staffId) query = query.where("staff_sessions.staff_id", "=", staffId);
  return query.execute();
}
