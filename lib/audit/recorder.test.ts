import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../db/connect";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { AuditInputError, AuditRecorderClosedError, AuditWriteError } from "./errors";
import { GENESIS_HASH } from "./hash";
import { createHash } from "node:crypto";
import { MAX_USER_AGENT } from "./input";
import { type AuditBatchInfo, createAuditRecorder, MAX_QUERY_CHARS } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "./verify";

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`audit recorder on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
    });
    afterEach(async () => {
      await store.cleanup();
    });

    const count = async (table: "audit_events" | "audit_targets") =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("stores who, where and why, and the chain covers them", async () => {
      const recorder = createAuditRecorder(store.db);
      const origin = { sessionId: "sid-1", clientAddress: "203.0.113.7", userAgent: `Mozilla/5.0 ${"x".repeat(1000)}` };
      const row = await recorder.record(sampleInput({ origin, outcome: "invalid", refusal: "invalid request: take must not be greater than 100" }));
      expect(row).toMatchObject({
        session_id: "sid-1",
        client_address: "203.0.113.7",
        refusal: "invalid request: take must not be greater than 100",
        purpose: null,
      });
      expect(row.user_agent).toHaveLength(MAX_USER_AGENT);
      expect((await verifyChain(store.db)).ok).toBe(true);
      await store.db.updateTable("audit_events").set({ client_address: "198.51.100.1" }).where("seq", "=", row.seq).execute();
      expect((await verifyChain(store.db)).firstBad?.seq).toBe(row.seq);
    });

    it("caps a stored query at 2 KB with the length and SHA-256 of the whole", async () => {
      const recorder = createAuditRecorder(store.db);
      const query = { name: "a".repeat(1_000_000) };
      const row = await recorder.record(sampleInput({ query, outcome: "invalid" }));
      expect(row.query.length).toBeLessThan(MAX_QUERY_CHARS + 200);
      const stored = JSON.parse(row.query) as { truncated: string; chars: number; sha256: string };
      const whole = JSON.stringify(query);
      expect(stored.chars).toBe(whole.length);
      expect(stored.sha256).toBe(createHash("sha256").update(whole).digest("hex"));
      expect(whole.startsWith(stored.truncated)).toBe(true);
    });

    it("refuses an action or an outcome the registry does not list, writing nothing", async () => {
      const recorder = createAuditRecorder(store.db);
      await expect(recorder.record(sampleInput({ action: "customer.peek" }))).rejects.toBeInstanceOf(AuditInputError);
      await expect(recorder.record(sampleInput({ action: "auth.signout", outcome: "rate_limited" }))).rejects.toBeInstanceOf(AuditInputError);
      expect(await count("audit_events")).toBe(0);
    });

    it("writes one chained event per call and returns it after commit", async () => {
      const recorder = createAuditRecorder(store.db, { now: () => new Date("2026-01-02T03:04:05.678Z") });
      const first = await recorder.record(sampleInput({ actor: { id: "s1", email: "Agent@Example.com" }, detail: { b: 2, a: 1 } }));
      const second = await recorder.record(sampleInput({ actor: null, action: "auth.signin", targets: [], outcome: "denied" }));

      expect(first).toMatchObject({
        seq: 1,
        at: "2026-01-02T03:04:05.678Z",
        actor_id: "s1",
        actor_email: "agent@example.com",
        targets: '["cus_1"]',
        query: '{"id":"cus_1"}',
        detail: '{"a":1,"b":2}',
        prev_hash: GENESIS_HASH,
      });
      expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).toMatchObject({ seq: 2, actor_id: null, actor_email: null, detail: null, prev_hash: first.hash });

      const rows = await store.db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
      expect(rows).toEqual([first, second]);
      expect(await store.db.selectFrom("audit_chain_head").select(["seq", "hash"]).execute()).toEqual([{ seq: 2, hash: second.hash }]);
      expect(await store.db.selectFrom("audit_targets").select(["event_seq", "customer_id"]).execute()).toEqual([{ event_seq: 1, customer_id: "cus_1" }]);
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 2 });
    });

    it("group-commits concurrent calls: 200 records in fewer transactions, one valid chain", async () => {
      const batches: AuditBatchInfo[] = [];
      const recorder = createAuditRecorder(store.db, { onBatch: (b) => batches.push(b) });
      const events = await Promise.all(Array.from({ length: 200 }, (_, i) => recorder.record(sampleInput({ targets: [`cus_${i}`, `cus_${i}`, "cus_all"] }))));

      expect(batches.reduce((n, b) => n + b.size, 0)).toBe(200);
      expect(batches.every((b) => b.ok)).toBe(true);
      expect(batches.length).toBeLessThan(200);
      expect(batches.length).toBeLessThanOrEqual(2);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await count("audit_events")).toBe(200);
      expect(await count("audit_targets")).toBe(400);
      expect(await verifyChain(store.db, { batchSize: 7 })).toMatchObject({ ok: true, checked: 200 });
    });

    it("batches records that arrive while a write is in flight, capped at maxBatchSize", async () => {
      const batches: number[] = [];
      const recorder = createAuditRecorder(store.db, { maxBatchSize: 50, onBatch: (b) => batches.push(b.size) });
      const first = recorder.record(sampleInput());
      await Promise.resolve();
      await Promise.resolve();
      const rest = Array.from({ length: 120 }, () => recorder.record(sampleInput()));
      await Promise.all([first, ...rest]);
      expect(batches).toEqual([1, 50, 50, 20]);
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 121 });
    });

    it("rejects a write to a broken store and leaves nothing partial", async () => {
      const recorder = createAuditRecorder(store.db);
      const kept = await recorder.record(sampleInput());
      // Events insert fine, then the targets insert fails: the whole batch must roll back.
      await sql`drop table audit_targets`.execute(store.db);
      const results = await Promise.allSettled([recorder.record(sampleInput()), recorder.record(sampleInput())]);
      for (const r of results) {
        expect(r.status).toBe("rejected");
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AuditWriteError);
      }
      expect(await count("audit_events")).toBe(1);
      expect(await store.db.selectFrom("audit_chain_head").select(["seq", "hash"]).execute()).toEqual([{ seq: 1, hash: kept.hash }]);
    });

    it("rejects when the store is unreachable or not migrated", async () => {
      const unreachable =
        kind === "sqlite"
          ? createDb({ kind: "sqlite", file: `${store.file}/not-a-dir/portal.sqlite` })
          : createDb({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/nowhere" });
      await expect(createAuditRecorder(unreachable).record(sampleInput())).rejects.toBeInstanceOf(AuditWriteError);
      await unreachable.destroy();

      const bare = await openTestStore(kind, { migrate: false });
      try {
        await expect(createAuditRecorder(bare.db).record(sampleInput())).rejects.toBeInstanceOf(AuditWriteError);
      } finally {
        await bare.cleanup();
      }
    });

    it("validates input before queueing and refuses records after close", async () => {
      const recorder = createAuditRecorder(store.db);
      await expect(recorder.record(sampleInput({ action: "DROP TABLE" }))).rejects.toBeInstanceOf(AuditInputError);
      await expect(recorder.record(sampleInput({ query: { n: Number.NaN } }))).rejects.toBeInstanceOf(AuditInputError);
      const pending = recorder.record(sampleInput());
      await recorder.close();
      await expect(pending).resolves.toMatchObject({ seq: 1 });
      await expect(recorder.record(sampleInput())).rejects.toBeInstanceOf(AuditRecorderClosedError);
      expect(await count("audit_events")).toBe(1);
    });

    // better-sqlite3 is synchronous: two connections in one process would block each other's event loop,
    // so SQLite's multi-writer case is covered with separate processes in multi-process.test.ts.
    it.skipIf(kind === "sqlite")("two recorders on separate connections keep one chain", async () => {
      const a = createAuditRecorder(store.db);
      const b = createAuditRecorder(store.reopen());
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).record(sampleInput())));
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 60 });
    });
  });
}
