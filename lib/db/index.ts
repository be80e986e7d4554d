import "server-only";

export { storeConfigFromEnv } from "./config";
export { createDb } from "./connect";
export { closeDb, getDb } from "./get-db";
export * from "./schema";
export { withWriteTransaction } from "./write-transaction";
