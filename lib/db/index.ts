import "server-only";

export { readReplicaConfigFromEnv, storeConfigFromEnv } from "./config";
export { createDb } from "./connect";
export { closeDb, getDb, getReadDb, hasReadReplica } from "./get-db";
export * from "./schema";
export { withWriteTransaction } from "./write-transaction";
