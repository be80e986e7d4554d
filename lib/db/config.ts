import "server-only";
import { join } from "node:path";
import { z } from "zod";
import { unsetIfBlank } from "../config/fields";
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
  if (url) return postgresConfig(url, env);
  const dir = env.PORTAL_DATA_DIR?.trim() || ".data";
  return { kind: "sqlite", file: join(dir, "portal.sqlite") };
}

type PostgresConfig = Extract<StoreConfig, { kind: "postgres" }>;

/** A PostgreSQL store at `url` with the PG_* guards (the same for the primary and its read replica). */
function postgresConfig(url: string, env: Env): PostgresConfig {
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

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * DATABASE_READ_URL: a streaming replica of DATABASE_URL's server that the audit search, the audit export and the
 * access report read from (lib/db/get-db.ts getReadDb). Null when unset; one line per problem when it cannot be used.
 */
export function readReplicaConfigFromEnv(env: Env = process.env): PostgresConfig | null {
  const url = unsetIfBlank(env.DATABASE_READ_URL) as string | undefined;
  if (url === undefined) return null;
  const problems: string[] = [];
  if (!POSTGRES_URL.test(url)) problems.push("DATABASE_READ_URL must be a postgres:// URL (a streaming replica of DATABASE_URL's server)");
  if (!env.DATABASE_URL?.trim()) {
    problems.push("DATABASE_READ_URL is set without DATABASE_URL: a read replica needs the PostgreSQL store (SQLite has none)");
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return postgresConfig(url, env);
}
