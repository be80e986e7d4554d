import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const addressKey = (ip: string) => `ip:${ip}`;

async function failuresSince(db: Kysely<Database>, key: string, since: string): Promise<number> {
  const row = await db
    .selectFrom("login_attempts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("key", "=", key)
    .where("at", ">=", since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** True when either the account or the address has failed too often within the window. */
export async function isThrottled(db: Kysely<Database>, email: string, ip: string, now = Date.now()): Promise<boolean> {
  const since = new Date(now - THROTTLE_WINDOW_MS).toISOString();
  const [account, address] = await Promise.all([
    failuresSince(db, accountKey(email), since),
    failuresSince(db, addressKey(ip), since),
  ]);
  return account >= MAX_FAILURES_PER_ACCOUNT || address >= MAX_FAILURES_PER_ADDRESS;
}

export async function recordFailure(db: Kysely<Database>, email: string, ip: string, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  await db
    .insertInto("login_attempts")
    .values([
      { key: accountKey(email), at },
      { key: addressKey(ip), at },
    ])
    .execute();
  // Old attempts carry no meaning past the window.
  await db.deleteFrom("login_attempts").where("at", "<", new Date(now - THROTTLE_WINDOW_MS).toISOString()).execute();
}

export async function clearAccountFailures(db: Kysely<Database>, email: string): Promise<void> {
  await db.deleteFrom("login_attempts").where("key", "=", accountKey(email)).execute();
}
