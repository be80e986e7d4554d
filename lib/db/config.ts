import "server-only";
import { join } from "node:path";
import { z } from "zod";
import { readStoreEnv } from "../env";

export const storeConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sqlite"), file: z.string().min(1) }),
  z.object({
    kind: z.literal("postgres"),
    url: z.string().min(1),
    /** Guards applied to every connection and to the pool (defaults: lib/env.ts). */
    statementTimeoutMs: z.number().int().positive().optional(),
    lockTimeoutMs: z.number().int().positive().optional(),
    idleInTransactionTimeoutMs: z.number().int().positive().optional(),
    poolMax: z.number().int().positive().optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
  }),
]);

export type StoreConfig = z.infer<typeof storeConfigSchema>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * DATABASE_URL set → PostgreSQL, with the PG_* guards (a bad one throws, one line per problem); otherwise SQLite at
 * `${PORTAL_DATA_DIR ?? ".data"}/portal.sqlite`.
 */
export function storeConfigFromEnv(env: Env = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const s = readStoreEnv(env);
    return {
      kind: "postgres",
      url,
      statementTimeoutMs: s.PG_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: s.PG_LOCK_TIMEOUT_MS,
      idleInTransactionTimeoutMs: s.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      poolMax: s.PG_POOL_MAX,
      connectTimeoutMs: s.PG_CONNECT_TIMEOUT_MS,
    };
  }
  const dir = env.PORTAL_DATA_DIR?.trim() || ".data";
  return { kind: "sqlite", file: join(dir, "portal.sqlite") };
}
