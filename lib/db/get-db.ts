import "server-only";
import { processScope } from "@/lib/process-scope";
import type { Kysely } from "kysely";
import { readReplicaConfigFromEnv, storeConfigFromEnv } from "./config";
import { createDb } from "./connect";
import { migrateToLatest } from "./migrations";
import type { Database } from "./schema";

const held = processScope("db/get-db", (): { portalDb?: Promise<Kysely<Database>>; portalReadDb?: Kysely<Database> } => ({}));

// One pool per process (lib/process-scope.ts), so Next dev hot reloads reuse it instead of leaking a new one per reload.
/**
 * The process-wide store, created from the environment and migrated on first use.
 * Concurrent first callers share one promise; a failed open is forgotten so the next call retries.
 */
export function getDb(): Promise<Kysely<Database>> {
  const existing = held.portalDb;
  if (existing) return existing;
  const opening = openMigrated();
  held.portalDb = opening;
  opening.catch(() => {
    if (held.portalDb === opening) held.portalDb = undefined;
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
  held.portalReadDb ??= createDb(config);
  return Promise.resolve(held.portalReadDb);
}

/** Whether getReadDb() is a replica of its own (DATABASE_READ_URL set) rather than the primary. */
export function hasReadReplica(): boolean {
  return readReplicaConfigFromEnv() !== null;
}

/** Closes the process-wide stores, the primary and its read replica (if opened); the next calls open fresh ones. */
export async function closeDb(): Promise<void> {
  const opening = held.portalDb;
  const replica = held.portalReadDb;
  held.portalDb = undefined;
  held.portalReadDb = undefined;
  await replica?.destroy().catch(() => {});
  if (!opening) return;
  const db = await opening.catch(() => null);
  await db?.destroy();
}
