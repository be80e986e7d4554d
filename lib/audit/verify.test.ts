import { sql } from "kysely";
import { EMPTY_ROOT } from "@/lib/merkle/tree";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { GENESIS_HASH } from "./hash";
import { type AuditEvent, createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "./verify";

// Tampering is done with raw SQL on purpose: lib/audit itself never updates or deletes events.
for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`verifyChain on ${kind}`, () => {
    let store: TestStore;
    let events: AuditEvent[];
    beforeEach(async () => {
      store = await openTestStore(kind);
      const recorder = createAuditRecorder(store.db);
      // Sequential so each event is its own batch; targets empty so seq can be swapped without FK rows.
      events = [];
      for (let i = 0; i < 25; i++) events.push(await recorder.record(sampleInput({ targets: i === 3 ? ["cus_3"] : [] })));
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("passes on an empty chain", async () => {
      const empty = await openTestStore(kind);
      try {
        expect(await verifyChain(empty.db)).toEqual({
          ok: true,
          checked: 0,
          head: { seq: 0, hash: GENESIS_HASH },
          tree: { size: 0, root: EMPTY_ROOT.toString("hex") },
        });
      } finally {
        await empty.cleanup();
      }
    });

    it("passes on a clean chain, whatever the batch size", async () => {
      const last = events[24];
      for (const batchSize of [1, 4, 25, 1000]) {
        expect(await verifyChain(store.db, { batchSize })).toMatchObject({ ok: true, checked: 25, head: { seq: 25, hash: last?.hash }, tree: { size: 25 } });
      }
    });

    it("detects an edited event", async () => {
      await sql`update audit_events set actor_email = 'someone-else@example.com' where seq = 10`.execute(store.db);
      const result = await verifyChain(store.db, { batchSize: 4 });
      expect(result).toMatchObject({ ok: false, checked: 9, firstBad: { seq: 10, id: events[9]?.id, reason: expect.stringMatching(/edited/) } });
    });

    it("detects an edited event whose hash was recomputed naively (the next link breaks)", async () => {
      await sql`update audit_events set outcome = 'denied', hash = ${"f".repeat(64)} where seq = 10`.execute(store.db);
      const result = await verifyChain(store.db);
      expect(result.ok).toBe(false);
      expect(result.firstBad?.seq).toBe(10);
    });

    it("detects a deleted event", async () => {
      await sql`delete from audit_targets where event_seq = 4`.execute(store.db);
      await sql`delete from audit_events where seq = 4`.execute(store.db);
      const result = await verifyChain(store.db, { batchSize: 3 });
      expect(result).toMatchObject({ ok: false, checked: 3, firstBad: { seq: 5, reason: expect.stringMatching(/deleted or reordered/) } });
    });

    it("detects a reordered pair", async () => {
      await sql`update audit_events set seq = 1000 where seq = 12`.execute(store.db);
      await sql`update audit_events set seq = 12 where seq = 13`.execute(store.db);
      await sql`update audit_events set seq = 13 where seq = 1000`.execute(store.db);
      const result = await verifyChain(store.db, { batchSize: 5 });
      expect(result).toMatchObject({ ok: false, checked: 11, firstBad: { seq: 12, id: events[12]?.id, reason: expect.stringMatching(/reordered/) } });
    });

    it("detects tampering with the audit_targets index", async () => {
      await sql`delete from audit_targets where event_seq = 4`.execute(store.db);
      expect(await verifyChain(store.db, { batchSize: 2 })).toMatchObject({
        ok: false,
        checked: 3,
        firstBad: { seq: 4, reason: expect.stringMatching(/audit_targets/) },
      });
      // On PostgreSQL the index row carries its event's time (its partition key, migration 0020).
      await (
        kind === "postgres"
          ? sql`insert into audit_targets (event_seq, customer_id, event_at) select seq, case seq when 4 then 'cus_3' else 'cus_hidden' end, at from audit_events where seq in (4, 7)`
          : sql`insert into audit_targets (event_seq, customer_id) values (4, 'cus_3'), (7, 'cus_hidden')`
      ).execute(store.db);
      expect(await verifyChain(store.db, { batchSize: 2 })).toMatchObject({ ok: false, firstBad: { seq: 7 } });
    });

    it("detects a truncated tail through the chain head", async () => {
      await sql`delete from audit_events where seq = 25`.execute(store.db);
      const result = await verifyChain(store.db);
      expect(result).toMatchObject({ ok: false, checked: 24, firstBad: { seq: 25, reason: expect.stringMatching(/head/) } });
    });
  });
}

// Found by the soak: better-sqlite3 answers synchronously, so the walk never gave the event loop back; the portal's
// scheduled verification (15 s after start, then every AUDIT_VERIFY_INTERVAL_MS) froze every request for as long
// as the whole chain took: about half a second at 3,000 events on a busy machine, 48 s at 5 million.
describe("verifyChain on sqlite, a long chain", () => {
  it("gives the event loop back between batches, so a running portal keeps answering", async () => {
    const store = await openTestStore("sqlite");
    try {
      const recorder = createAuditRecorder(store.db);
      await Promise.all(Array.from({ length: 5_000 }, (_, i) => recorder.record(sampleInput({ targets: [`cus_${i % 50}`] }))));
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const result = await verifyChain(store.db, { batchSize: 500 });
      clearInterval(timer);
      expect(result).toMatchObject({ ok: true, checked: 5_000 });
      // Ten batches: timers ran in between (none can while one synchronous walk holds the thread).
      expect(ticks).toBeGreaterThan(0);
    } finally {
      await store.cleanup();
    }
  }, 60_000);
});
