import "server-only";
import type { Kysely } from "kysely";
import { readReplicaConfigFromEnv, storeConfigFromEnv } from "./config";
import { createDb } from "./connect";
import { migrateToLatest } from "./migrations";
import type { Database } from "./schema";

// Kept on globalThis so Next dev hot reloads reuse one pool instead of leaking a new one per reload.
declare global {
  var __devdraftPortalDb: Promise<Kysely<Database>> | undefined;
  var __devdraftPortalReadDb: Kysely<Database> | undefined;
}

/**
 * The process-wide store, created from the environment and migrated on first use.
 * Concurrent first callers share one promise; a failed open is forgotten so the next call retries.
 */
export function getDb(): Promise<Kysely<Database>> {
  const existing = globalThis.__devdraftPortalDb;
  if (existing) return existing;
  const opening = openMigrated();
  globalThis.__devdraftPortalDb = opening;
  opening.catch(() => {
    if (globalThis.__devdraftPortalDb === opening) globalThis.__devdraftPortalDb = undefined;
  });
  return opening;
}

async function openMigrated(): Promise<Kysely<Database>> {
  const db = createDb(storeConfigFromEnv());
  try {
    await migrateToLatest(db);
    return db;
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
}

/**
 * Where the audit search, the audit export and the access report read: the read replica (DATABASE_READ_URL) when
 * one is set, otherwise the primary itself. Never for writes, the budget, sessions or the chain head: a hot standby
 * refuses writes, and it lags. Opened lazily like the primary (the pool connects on the first query) and never
 * migrated: the replica replays the primary's schema. lib/audit/read-source.ts adds the staleness check and the
 * fall-back to the primary when the replica cannot be reached.
 */
export function getReadDb(): Promise<Kysely<Database>> {
  const config = readReplicaConfigFromEnv();
  if (!config) return getDb();
  globalThis.__devdraftPortalReadDb ??= createDb(config);
  return Promise.resolve(globalThis.__devdraftPortalReadDb);
}

/** Whether getReadDb() is a replica of its own (DATABASE_READ_URL set) rather than the primary. */
export function hasReadReplica(): boolean {
  return readReplicaConfigFromEnv() !== null;
}

/** Closes the process-wide stores, the primary and its read replica (if opened); the next calls open fresh ones. */
export async function closeDb(): Promise<void> {
  const opening = globalThis.__devdraftPortalDb;
  const replica = globalThis.__devdraftPortalReadDb;
  globalThis.__devdraftPortalDb = undefined;
  globalThis.__devdraftPortalReadDb = undefined;
  await replica?.destroy().catch(() => {});
  if (!opening) return;
  const db = await opening.catch(() => null);
  await db?.destroy();
}
