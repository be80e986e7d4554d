import "server-only";
import type { Kysely } from "kysely";
import { storeConfigFromEnv } from "./config";
import { createDb } from "./connect";
import { migrateToLatest } from "./migrations";
import type { Database } from "./schema";

// Kept on globalThis so Next dev hot reloads reuse one pool instead of leaking a new one per reload.
declare global {
  var __devdraftPortalDb: Promise<Kysely<Database>> | undefined;
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

/** Closes the process-wide store (if it was opened); the next getDb() opens a fresh one. */
export async function closeDb(): Promise<void> {
  const opening = globalThis.__devdraftPortalDb;
  globalThis.__devdraftPortalDb = undefined;
  if (!opening) return;
  const db = await opening.catch(() => null);
  await db?.destroy();
}
