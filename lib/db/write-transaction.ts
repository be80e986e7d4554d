import "server-only";
import { type Kysely, sql } from "kysely";
import { dialectOf, type StoreKind } from "./dialect";
import type { Database } from "./schema";

/**
 * Runs `work` in a transaction that will write.
 * SQLite: BEGIN IMMEDIATE takes the write lock up front, so a read-then-write transaction
 * waits on busy_timeout instead of failing with SQLITE_BUSY when another process writes.
 * PostgreSQL: an ordinary transaction; callers take row locks (FOR UPDATE) themselves.
 */
export async function withWriteTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>, kind: StoreKind) => Promise<T>): Promise<T> {
  const kind = dialectOf(db);
  if (kind === "postgres") return db.transaction().execute((trx) => work(trx, kind));
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn, kind);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw error;
    }
  });
}
