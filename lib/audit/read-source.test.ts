// Read replicas against a real streaming replica: pg_basebackup -R of the test cluster, started as a hot standby on
// its own port (scripts/postgres.mjs startReplica; PGPORT_REPLICA_TEST, default the primary's port + 1), stopped at
// the end. PostgreSQL only: SQLite has no replicas.
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReplica, stopPostgres } from "../../scripts/postgres.mjs";
import { sampleInput } from "@/test/support/audit-fixtures";
import { openTestStore, TEST_DATABASE_URL, type TestStore } from "@/test/support/stores";
import { closeDb, getDb, getReadDb } from "../db/get-db";
import type { Database } from "../db/schema";
import { recordAudit } from "./index";
import { auditReadSource, REPLICA_CURRENT_WITHIN_MS } from "./read-source";
import { searchEvents } from "./search";

const primaryPort = TEST_DATABASE_URL ? Number(new URL(TEST_DATABASE_URL).port) : 0;
const replicaPort = Number(process.env.PGPORT_REPLICA_TEST ?? primaryPort + 1);

const headSeq = async (db: Kysely<Database>) => (await db.selectFrom("audit_chain_head").select("seq").where("id", "=", 1).executeTakeFirstOrThrow()).seq;
const searchSeqs = async (db: Kysely<Database>) => (await searchEvents(db, { limit: 200 })).events.map((e) => e.seq);

async function replayedUpTo(replica: Kysely<Database>, seq: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await headSeq(replica)) >= seq) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the replica did not replay up to seq ${seq} within 10 s`);
}

describe.skipIf(!TEST_DATABASE_URL)("audit reads from a streaming replica (DATABASE_READ_URL)", () => {
  let store: TestStore;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_READ_URL: process.env.DATABASE_READ_URL };

  beforeAll(async () => {
    store = await openTestStore("postgres");
    await startReplica({ primaryPort, port: replicaPort });
    const replicaUrl = new URL(store.url as string);
    replicaUrl.port = String(replicaPort);
    process.env.DATABASE_URL = store.url as string;
    process.env.DATABASE_READ_URL = replicaUrl.toString();
  }, 120_000);

  afterAll(async () => {
    await closeDb();
    await stopPostgres({ port: replicaPort });
    await store?.cleanup();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("is a pool of its own on a hot standby: events written on the primary appear through it after replication", async () => {
    const [primary, replica] = [await getDb(), await getReadDb()];
    expect(replica).not.toBe(primary);
    expect((await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(replica)).rows[0]?.r).toBe(true);
    const event = await recordAudit(sampleInput());
    await replayedUpTo(replica, event.seq);
    expect(await searchSeqs(replica)).toContain(event.seq);
    // The handle cannot write: a hot standby refuses it (25006), so no write path can quietly use it.
    await expect(replica.insertInto("audit_targets").values({ event_seq: event.seq, customer_id: "x" }).execute()).rejects.toThrow(/read-only transaction/);
  });

  it("search reads the replica: with replay paused, a new event is on the primary, not in the search, and the lag is reported", async () => {
    const [primary, replica] = [await getDb(), await getReadDb()];
    const before = await recordAudit(sampleInput());
    await replayedUpTo(replica, before.seq);
    expect((await auditReadSource()).lag).toBeNull();

    await sql`select pg_wal_replay_pause()`.execute(replica);
    try {
      // A normal audited write while the replica is frozen: the chain head advances on the primary, not on the replica.
      const during = await recordAudit(sampleInput({ action: "customers.list", targets: ["cus_2"] }));
      expect(during.seq).toBe(before.seq + 1);
      expect(await headSeq(primary)).toBe(during.seq);
      expect(await headSeq(replica)).toBe(before.seq);

      // Just written (the page's own view event is always this fresh): the replica still counts as current.
      const fresh = await auditReadSource();
      expect(fresh).toMatchObject({ from: "replica", lag: null });

      await new Promise((r) => setTimeout(r, REPLICA_CURRENT_WITHIN_MS + 200));
      const stale = await auditReadSource();
      expect(stale.from).toBe("replica");
      expect(stale.db).toBe(replica);
      expect(stale.lag?.asOf.toISOString()).toBe(during.at);
      expect(stale.lag?.behindSeconds).toBeGreaterThanOrEqual(1);
      const shown = await searchSeqs(stale.db);
      expect(shown).toContain(before.seq);
      expect(shown).not.toContain(during.seq);
      expect(await searchSeqs(primary)).toContain(during.seq);
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(replica);
    }
    await replayedUpTo(replica, await headSeq(primary));
    const caughtUp = await auditReadSource();
    expect(caughtUp).toMatchObject({ from: "replica", lag: null });
    expect(await searchSeqs(caughtUp.db)).toContain(before.seq + 1);
  });

  it("a replica that is down falls back to the primary for the request: every event shown, no lag claimed", async () => {
    await stopPostgres({ port: replicaPort });
    const latest = await recordAudit(sampleInput());
    const source = await auditReadSource();
    expect(source).toMatchObject({ from: "fallback", lag: null });
    expect(source.db).toBe(await getDb());
    expect(await searchSeqs(source.db)).toContain(latest.seq);
  });
});
