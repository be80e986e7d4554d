import "server-only";

export { readReplicaConfigFromEnv, storeConfigFromEnv, storeConfigSchema, type StoreConfig } from "./config";
export { createDb } from "./connect";
export { dialectOf, UnknownStoreError, type StoreKind } from "./dialect";
export { closeDb, getDb, getReadDb, hasReadReplica } from "./get-db";
export { GENESIS_HASH, MigrationError, migrateDownAll, migrateToLatest, migrationsFor } from "./migrations";
export * from "./schema";
export { withWriteTransaction } from "./write-transaction";
