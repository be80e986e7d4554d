import "server-only";
import type { Kysely } from "kysely";
import { closeServices, services } from "@/lib/service-slot";
import { createDb } from "./connect";
import type { StoreConfig } from "./config";
import { migrateToLatest } from "./migrations";
import type { Database } from "./schema";

/** The stores' part of the services lib/services.ts builds (lib/service-slot.ts). */
export type StoreServices = {
  /** The primary, migrated on first use; concurrent first callers share one open, a failed open is retried. */
  db: () => Promise<Kysely<Database>>;
  /**
   * Where the audit search, the audit export and the access report read: the read replica (DATABASE_READ_URL) when
   * one is set, otherwise the primary itself. Never for writes, the budget, sessions or the chain head: a hot
   * standby refuses writes, and it lags. Never migrated: the replica replays the primary's schema.
   * lib/audit/read-source.ts adds the staleness check and the fall-back to the primary.
   */
  readDb: () => Promise<Kysely<Database>>;
  /** Whether readDb() is a replica of its own (DATABASE_READ_URL set) rather than the primary. */
  hasReadReplica: () => boolean;
};

/** Opens the store and applies the migrations; a store that cannot be migrated is closed again. */
export async function openMigrated(config: StoreConfig): Promise<Kysely<Database>> {
  const db = createDb(config);
  try {
    await migrateToLatest(db);
    return db;
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
}

/** The process-wide store. */
export const getDb = (): Promise<Kysely<Database>> => services<StoreServices>().db();

/** The process-wide read store (the replica, or the primary when there is none). */
export const getReadDb = (): Promise<Kysely<Database>> => services<StoreServices>().readDb();

export const hasReadReplica = (): boolean => services<StoreServices>().hasReadReplica();

/** Closes the process's services, the stores last; the next calls open fresh ones (tests, restore). */
export const closeDb = closeServices;
