import "server-only";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from "kysely";
import pg from "pg";
import { storeConfigSchema, type StoreConfig } from "./config";
import { registerStoreKind } from "./dialect";
import type { Database } from "./schema";

const PG_INT8_OID = 20;
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** WAL pages (4 KiB) after which a commit checkpoints, PASSIVE: it copies what no reader still needs and never waits. */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 1000;
/** What a WAL file is cut back to after a checkpoint reset it, so one long read does not leave a big file behind. */
export const SQLITE_JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Builds a Kysely instance for either store. Nothing is opened until the first query,
 * so this is safe to call from module scope during `next build` (getDb() is still preferred).
 */
// pg types its parsers by an enum of type ids; ours asks by the number the driver hands it.
const builtInParser = pg.types.getTypeParser as (oid: number, format?: "text" | "binary") => (value: string) => unknown;

export function createDb(config: StoreConfig): Kysely<Database> {
  const parsed = storeConfigSchema.parse(config);
  if (parsed.kind === "sqlite") {
    const dialect = new SqliteDialect({ database: async () => withStatementCache(openSqlite(parsed.file)) });
    return registerStoreKind(new Kysely<Database>({ dialect }), "sqlite");
  }
  const pool = new pg.Pool({
    connectionString: parsed.url,
    // Sent as start-up parameters on every connection (so they hold inside every transaction, too). A stuck lock or
    // a runaway statement fails that one request fast (lib/db/errors.ts maps it to a 503) instead of holding a
    // connection, and with it the pool, for ever.
    statement_timeout: parsed.statementTimeoutMs ?? 15_000,
    lock_timeout: parsed.lockTimeoutMs ?? 3_000,
    idle_in_transaction_session_timeout: parsed.idleInTransactionTimeoutMs ?? 10_000,
    max: parsed.poolMax ?? 10,
    // Both opening a connection and waiting for a free one in a full pool.
    connectionTimeoutMillis: parsed.connectTimeoutMs ?? 5_000,
    // seq and budget windows are bigint; values stay far below 2^53, so plain numbers are safe.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") => (oid === PG_INT8_OID ? (value: string) => Number(value) : builtInParser(oid, format)),
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  // Nor a checked-out one: the server ending a session (idle_in_transaction_session_timeout, a restart, an operator's
  // pg_terminate_backend) emits 'error' on the client, which would be an uncaught exception. The query in flight still
  // rejects (a 503), and the pool drops the broken client when it is released.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return registerStoreKind(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), "postgres");
}

/** Prepared statements kept per connection (by SQL text); the least recently used is finalised past this many. */
const SQLITE_STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew (about a quarter of a millisecond per audited request went to
 * better-sqlite3's prepare). This hands it a statement prepared before for the same SQL, unless that one is still
 * busy (a stream iterating it), which gets a fresh one. The driver binds every statement's parameters on each run.
 */
export function withStatementCache(db: SqliteDatabase.Database, size = SQLITE_STATEMENT_CACHE_SIZE): SqliteDialectDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const known = statements.get(sql);
      if (known && !known.busy) {
        // Most recently used last: Map keeps insertion order.
        statements.delete(sql);
        statements.set(sql, known);
        return known;
      }
      const fresh = db.prepare(sql);
      if (known) return fresh;
      statements.set(sql, fresh);
      if (statements.size > size) statements.delete(statements.keys().next().value as string);
      return fresh;
    },
  };
}

function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new SqliteDatabase(file);
  db.pragma("journal_mode = WAL");
  // Another process holding the write lock longer than this fails the statement with SQLITE_BUSY (a 503).
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  // In WAL mode readers and the writer never block each other: a long read (an audit export, verification) keeps
  // its snapshot while writers append to the WAL. The commit that takes the WAL past this size checkpoints PASSIVE
  // (copies what no open read still needs, never waits for one), and the next one after the read ends finishes the
  // job; a periodic checkpoint would do nothing more, and a blocking kind (FULL, TRUNCATE) is never run.
  db.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${SQLITE_JOURNAL_SIZE_LIMIT_BYTES}`);
  return db;
}
