import "server-only";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { storeConfigSchema, type StoreConfig } from "./config";
import { registerStoreKind } from "./dialect";
import type { Database } from "./schema";

const PG_INT8_OID = 20;

/**
 * Builds a Kysely instance for either store. Nothing is opened until the first query,
 * so this is safe to call from module scope during `next build` (getDb() is still preferred).
 */
export function createDb(config: StoreConfig): Kysely<Database> {
  const parsed = storeConfigSchema.parse(config);
  if (parsed.kind === "sqlite") {
    const dialect = new SqliteDialect({ database: async () => openSqlite(parsed.file) });
    return registerStoreKind(new Kysely<Database>({ dialect }), "sqlite");
  }
  const pool = new pg.Pool({
    connectionString: parsed.url,
    // seq and budget windows are bigint; values stay far below 2^53, so plain numbers are safe.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  return registerStoreKind(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), "postgres");
}

function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new SqliteDatabase(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  return db;
}
