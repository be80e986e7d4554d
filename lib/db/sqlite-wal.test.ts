// Issue 16, point 3: on SQLite a long read never blocks a writer. Two connections to one file, as two requests (or
// the portal and `npm run audit:verify`) have: one holds a read transaction open while the other writes.
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_JOURNAL_SIZE_LIMIT_BYTES, SQLITE_WAL_AUTOCHECKPOINT_PAGES } from "./connect";
import { openTestStore, type TestStore } from "@/test/support/stores";

describe("SQLite WAL, busy timeout and checkpoints", () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore("sqlite");
  });
  afterEach(async () => {
    await store.cleanup();
  });

  const pragma = async (name: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(store.db)).rows[0] ?? {})[0];
  const attempts = (db = store.db) =>
    db
      .selectFrom("login_attempts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const write = (db: typeof store.db, key: string) => db.insertInto("login_attempts").values({ key, at: new Date().toISOString() }).execute();

  it("opens every connection in WAL mode with a busy timeout and PASSIVE auto-checkpoints", async () => {
    expect(await pragma("journal_mode")).toBe("wal");
    expect(await pragma("busy_timeout")).toBe(SQLITE_BUSY_TIMEOUT_MS);
    expect(await pragma("wal_autocheckpoint")).toBe(SQLITE_WAL_AUTOCHECKPOINT_PAGES);
    expect(await pragma("journal_size_limit")).toBe(SQLITE_JOURNAL_SIZE_LIMIT_BYTES);
  });

  it("lets a writer commit at once while another connection holds a long read, and checkpoints after it", async () => {
    await write(store.db, "ip:before");
    const writer = store.reopen();
    // No waiting allowed: if the read blocked the writer, its statements would fail with SQLITE_BUSY at once.
    await sql`pragma busy_timeout = 0`.execute(writer);
    await store.db.transaction().execute(async (reader) => {
      expect(await attempts(reader)).toBe(1); // the read transaction's snapshot starts here
      for (let i = 0; i < 50; i++) await write(writer, `ip:during-${i}`);
      await writer.transaction().execute(async (trx) => write(trx, "ip:in-a-transaction"));
      expect(await attempts(writer)).toBe(52);
      // The reader keeps its snapshot: a consistent read, not a blocked one.
      expect(await attempts(reader)).toBe(1);
      // A PASSIVE checkpoint neither waits for the reader nor fails: it copies what the reader does not need.
      const during = (await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(PASSIVE)`.execute(writer)).rows[0];
      expect(during?.busy).toBe(0);
      expect(during?.checkpointed).toBeLessThan(during?.log ?? 0);
    });
    expect(await attempts()).toBe(52);
    // With the read over, the checkpoint gets through the whole WAL.
    const after = (await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(PASSIVE)`.execute(writer)).rows[0];
    expect(after?.busy).toBe(0);
    expect(after?.checkpointed).toBe(after?.log);
  });
});
