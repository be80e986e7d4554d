// The store's guards against a stuck lock, a runaway statement, a full pool and a busy SQLite file, on real stores:
// each fails its one caller fast with a typed StoreUnavailableError, which the one HTTP mapping answers 503.
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditRecorder } from "@/lib/audit/recorder";
import { errorResponse } from "@/lib/http/api-error";
import { AuditUnavailableError } from "@/lib/errors";
import { readStoreEnv } from "@/lib/env";
import { createDb, SQLITE_BUSY_TIMEOUT_MS } from "./connect";
import { storeConfigFromEnv } from "./config";
import { storeUnavailableIn } from "./errors";
import { openTestStore, TEST_DATABASE_URL, type TestStore } from "@/test/support/stores";
import { withWriteTransaction } from "./write-transaction";

const stores: TestStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.cleanup()));
});

async function open(kind: "sqlite" | "postgres") {
  const store = await openTestStore(kind);
  stores.push(store);
  return store;
}

const EVENT = { actor: null, action: "portal.start" as const, targets: [], query: {}, requestId: "guards", outcome: "ok" as const };

/** Holds a write transaction (and with it the chain head) open until the returned release() is called. */
function holdWriteLock(db: Parameters<typeof withWriteTransaction>[0], lockHead: boolean) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const done = withWriteTransaction(db, async (trx, kind) => {
    if (lockHead && kind === "postgres") await sql`select seq from audit_chain_head where id = 1 for update`.execute(trx);
    locked();
    await released;
  });
  return { isLocked, release: () => (release(), done) };
}

describe("settings", () => {
  it("has defaults and names a bad value in one line", () => {
    expect(readStoreEnv({})).toEqual({
      PG_STATEMENT_TIMEOUT_MS: 15_000,
      PG_LOCK_TIMEOUT_MS: 3_000,
      PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: 10_000,
      PG_POOL_MAX: 10,
      PG_CONNECT_TIMEOUT_MS: 5_000,
    });
    expect(() => readStoreEnv({ PG_LOCK_TIMEOUT_MS: "soon", PG_POOL_MAX: "0" })).toThrow(
      "PG_LOCK_TIMEOUT_MS must be a whole number from 50 to 600000\nPG_POOL_MAX must be a whole number from 1 to 200",
    );
    expect(storeConfigFromEnv({ DATABASE_URL: "postgres://x/y", PG_LOCK_TIMEOUT_MS: "700" })).toMatchObject({
      kind: "postgres",
      lockTimeoutMs: 700,
      poolMax: 10,
    });
  });
});

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL guards", () => {
  it("sets the timeouts on every connection", async () => {
    const store = await open("postgres");
    const db = createDb({
      kind: "postgres",
      url: store.url ?? "",
      statementTimeoutMs: 4321,
      lockTimeoutMs: 1234,
      idleInTransactionTimeoutMs: 5678,
      poolMax: 2,
      connectTimeoutMs: 1000,
    });
    try {
      const show = async (name: string) => (await sql<Record<string, string>>`select current_setting(${name}) as v`.execute(db)).rows[0]?.v;
      expect(await show("statement_timeout")).toBe("4321ms");
      expect(await show("lock_timeout")).toBe("1234ms");
      expect(await show("idle_in_transaction_session_timeout")).toBe("5678ms");
    } finally {
      await db.destroy();
    }
  });

  it("a held chain-head lock fails the audit append after lock_timeout (55P03), then the append succeeds", async () => {
    const store = await open("postgres");
    const LOCK_MS = 300;
    const db = createDb({ kind: "postgres", url: store.url ?? "", lockTimeoutMs: LOCK_MS });
    try {
      const holder = holdWriteLock(store.db, true);
      await holder.isLocked;
      const recorder = createAuditRecorder(db);
      const started = performance.now();
      const failure = await recorder.record(EVENT).then(
        () => null,
        (err: unknown) => err,
      );
      const elapsed = performance.now() - started;
      expect(storeUnavailableIn(failure)?.reason).toBe("lock_timeout");
      expect(elapsed).toBeGreaterThanOrEqual(LOCK_MS * 0.9);
      // The configured bound, not a hang: generous, the default statement timeout is far longer.
      expect(elapsed).toBeLessThan(LOCK_MS * 20);
      const res = errorResponse(new AuditUnavailableError("audit write failed", { cause: failure }), "rid");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      await holder.release();
      expect((await recorder.record(EVENT)).seq).toBeGreaterThan(0);
    } finally {
      await db.destroy();
    }
  });

  it("a runaway statement is cancelled by statement_timeout (57014) and answered 503", async () => {
    const store = await open("postgres");
    const db = createDb({ kind: "postgres", url: store.url ?? "", statementTimeoutMs: 200 });
    try {
      const failure = await sql`select pg_sleep(30)`.execute(db).then(
        () => null,
        (err: unknown) => err,
      );
      expect(storeUnavailableIn(failure)?.reason).toBe("statement_timeout");
      const res = errorResponse(failure, "rid");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ statusCode: 503, code: "store_unavailable" });
    } finally {
      await db.destroy();
    }
  });

  it("a full pool fails the next caller after the connect timeout instead of queueing for ever", async () => {
    const store = await open("postgres");
    const CONNECT_MS = 300;
    const db = createDb({ kind: "postgres", url: store.url ?? "", poolMax: 1, connectTimeoutMs: CONNECT_MS });
    try {
      const holder = holdWriteLock(db, false);
      await holder.isLocked;
      const started = performance.now();
      const failure = await sql`select 1`.execute(db).then(
        () => null,
        (err: unknown) => err,
      );
      expect(storeUnavailableIn(failure)?.reason).toBe("connect_timeout");
      expect(performance.now() - started).toBeLessThan(CONNECT_MS * 20);
      expect(errorResponse(failure, "rid").headers.get("retry-after")).toBe("5");
      await holder.release();
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]?.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it("a transaction left idle is ended by the server, releasing the chain head", async () => {
    const store = await open("postgres");
    const db = createDb({ kind: "postgres", url: store.url ?? "", idleInTransactionTimeoutMs: 300 });
    try {
      const holder = holdWriteLock(db, true);
      await holder.isLocked;
      // The holder's session is idle in its transaction: the server ends it, and another writer gets the lock.
      const recorder = createAuditRecorder(store.db);
      expect((await recorder.record(EVENT)).seq).toBeGreaterThan(0);
      const ended = await holder.release().then(
        () => null,
        (err: unknown) => err,
      );
      expect(storeUnavailableIn(ended)?.reason).toBe("connection_lost");
    } finally {
      await db.destroy();
    }
  });
});

describe("SQLite guards", () => {
  it("another process's write lock past busy_timeout fails the append as busy (503), then it succeeds", async () => {
    const store = await open("sqlite");
    const other = store.reopen();
    const holder = holdWriteLock(other, true);
    await holder.isLocked;
    const recorder = createAuditRecorder(store.db);
    const started = performance.now();
    const failure = await recorder.record(EVENT).then(
      () => null,
      (err: unknown) => err,
    );
    expect(storeUnavailableIn(failure)?.reason).toBe("busy");
    expect(performance.now() - started).toBeGreaterThanOrEqual(SQLITE_BUSY_TIMEOUT_MS * 0.9);
    expect(errorResponse(new AuditUnavailableError("audit write failed", { cause: failure }), "rid").status).toBe(503);
    await holder.release();
    expect((await recorder.record(EVENT)).seq).toBeGreaterThan(0);
  }, 30_000);
});
