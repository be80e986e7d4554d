import "server-only";
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Database } from "@/lib/db/schema";
import { withWriteTransaction } from "@/lib/db/write-transaction";

export const THROTTLE_WINDOW_MS = 15 * 60_000;

/**
 * Growing delays instead of a lock-out. Each scope allows `free` failures in the window; after that every further
 * attempt must wait `base × 2^(failures − free)` (at most `max`) after the scope's last failure.
 * - `pair` (this email from this address): the guessing of one attacker at one account;
 * - `address` (any email from this address): one attacker trying many accounts;
 * - `account` (this email from anywhere): many addresses at one account. Its delay stays short, so a stranger who
 *   knows someone's email can slow their sign-in by at most a minute, never freeze it.
 */
export const THROTTLE_POLICY = {
  pair: { free: 5, baseMs: 30_000, maxMs: THROTTLE_WINDOW_MS },
  address: { free: 20, baseMs: 30_000, maxMs: THROTTLE_WINDOW_MS },
  account: { free: 50, baseMs: 5_000, maxMs: 60_000 },
} as const;
type Scope = keyof typeof THROTTLE_POLICY;
const SCOPES: readonly Scope[] = ["pair", "address", "account"];

const normalEmail = (email: string) => email.trim().toLowerCase();
function keysFor(email: string, ip: string): Record<Scope, string> {
  return { pair: `pair:${normalEmail(email)}|${ip}`, address: `ip:${ip}`, account: `email:${normalEmail(email)}` };
}

// PostgreSQL: one transaction-scoped advisory lock serialises reservations across instances (sign-ins are rare and
// each holds it for two short statements). SQLite: BEGIN IMMEDIATE already does.
const RESERVATION_LOCK = 7_242_001;

export type Reservation = { ok: true; attemptId: string } | { ok: false; retryAfterMs: number };

/** How long the scope must still wait at `now`, given its failures in the window and the latest of them. */
export function waitMs(scope: Scope, failures: number, lastAt: number | null, now: number): number {
  const { free, baseMs, maxMs } = THROTTLE_POLICY[scope];
  if (failures < free || lastAt === null) return 0;
  const delay = Math.min(maxMs, baseMs * 2 ** Math.min(30, failures - free));
  return Math.max(0, lastAt + delay - now);
}

/**
 * Reserves one sign-in attempt before the password is checked: in one write transaction it reads each scope's
 * failures and, when none must wait, writes the attempt as a failure of all three scopes. There is no window between
 * the check and the write, so parallel guesses are counted exactly. A success takes its reservation back
 * (`releaseAttempt`); a failure leaves it counted.
 */
export async function reserveAttempt(db: Kysely<Database>, email: string, ip: string, now = Date.now()): Promise<Reservation> {
  const keys = keysFor(email, ip);
  const since = new Date(now - THROTTLE_WINDOW_MS).toISOString();
  return withWriteTransaction(db, async (trx, kind) => {
    if (kind === "postgres") await sql`select pg_advisory_xact_lock(${RESERVATION_LOCK})`.execute(trx);
    const rows = await trx
      .selectFrom("login_attempts")
      .select(["key", (eb) => eb.fn.countAll<number | string>().as("n"), (eb) => eb.fn.max("at").as("last")])
      .where("key", "in", Object.values(keys))
      .where("at", ">=", since)
      .groupBy("key")
      .execute();
    const byKey = new Map(rows.map((r) => [r.key, { n: Number(r.n), last: r.last ? Date.parse(r.last) : null }]));
    let retryAfterMs = 0;
    for (const scope of SCOPES) {
      const seen = byKey.get(keys[scope]);
      retryAfterMs = Math.max(retryAfterMs, waitMs(scope, seen?.n ?? 0, seen?.last ?? null, now));
    }
    if (retryAfterMs > 0) return { ok: false, retryAfterMs };
    const attemptId = randomUUID();
    const at = new Date(now).toISOString();
    await trx
      .insertInto("login_attempts")
      .values(Object.values(keys).map((key) => ({ key, at, attempt_id: attemptId })))
      .execute();
    // Old attempts carry no meaning past the window.
    await trx.deleteFrom("login_attempts").where("at", "<", since).execute();
    return { ok: true, attemptId };
  });
}

/** A successful sign-in: its own reservation is not a failure, and its pair's earlier failures are forgiven. */
export async function releaseAttempt(db: Kysely<Database>, attemptId: string, email: string, ip: string): Promise<void> {
  await db
    .deleteFrom("login_attempts")
    .where((eb) => eb.or([eb("attempt_id", "=", attemptId), eb("key", "=", keysFor(email, ip).pair)]))
    .execute();
}
