import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { type AuditEvent, type AuditRecorder, createAuditRecorder } from "./recorder";
import { applyRetention, retentionCutoff } from "./retention";
import { sampleInput } from "@/test/support/audit-fixtures";
import { leafHash, rootFromLeafHashes } from "@/lib/merkle/tree";
import { verifyChain } from "./verify";

// Three events on each of 1–5 March 2026 (00:00, 12:00, 23:59:59.999 UTC), with targets.
const DAYS = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"];
const TIMES = ["00:00:00.000", "12:00:00.000", "23:59:59.999"];

// Whole days: SQLite. PostgreSQL's partitioned store removes whole months: retention-partitions.test.ts.
for (const { kind, skip } of STORE_KINDS.filter((k) => k.kind === "sqlite")) {
  describe.skipIf(skip)(`audit retention on ${kind}`, () => {
    let store: TestStore;
    let recorder: AuditRecorder;
    let clock: Date;
    let events: AuditEvent[];
    const days = async () =>
      (await store.db.selectFrom("audit_events").select("at").where("action", "!=", "audit.retention").orderBy("seq").execute()).map((r) => r.at.slice(0, 10));

    beforeEach(async () => {
      store = await openTestStore(kind);
      clock = new Date();
      recorder = createAuditRecorder(store.db, { now: () => clock });
      events = [];
      for (const day of DAYS) {
        for (const time of TIMES) {
          clock = new Date(`${day}T${time}Z`);
          events.push(await recorder.record(sampleInput({ targets: [`cus_${day}`] })));
        }
      }
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("computes the cutoff as a UTC midnight whole days back", () => {
      expect(retentionCutoff(new Date("2026-03-05T18:30:00.000Z"), 2).toISOString()).toBe("2026-03-03T00:00:00.000Z");
    });

    it("removes only whole expired days from the oldest end and records the anchor it leaves", async () => {
      const result = await applyRetention(store.db, { retentionDays: 2, now: new Date("2026-03-05T18:30:00.000Z") });
      expect(result).toMatchObject({ removed: 6, removedThrough: "2026-03-03T00:00:00.000Z", anchor: { seq: 6, hash: events[5]?.hash } });
      expect(await days()).toEqual([
        "2026-03-03",
        "2026-03-03",
        "2026-03-03",
        "2026-03-04",
        "2026-03-04",
        "2026-03-04",
        "2026-03-05",
        "2026-03-05",
        "2026-03-05",
      ]);
      expect(result?.event).toMatchObject({ action: "audit.retention", actor_id: null, outcome: "ok", seq: 16 });
      // The root over events 1..6, as the recorder's tree had it: what the kept frontier (and the signed checkpoints) vouch for.
      const root6 = rootFromLeafHashes(events.slice(0, 6).map((e) => leafHash(Buffer.from(e.hash, "hex")))).toString("hex");
      expect(JSON.parse(result?.event.detail ?? "{}")).toEqual({
        anchor: { seq: 6, hash: events[5]?.hash, root: root6 },
        removed: 6,
        removed_through: "2026-03-03T00:00:00.000Z",
      });
      const left = await store.db.selectFrom("audit_targets").select("customer_id").distinct().orderBy("customer_id").execute();
      expect(left.map((r) => r.customer_id)).toEqual(["cus_2026-03-03", "cus_2026-03-04", "cus_2026-03-05"]);
      expect(await store.db.selectFrom("audit_anchor").selectAll().execute()).toEqual([
        { seq: 6, hash: events[5]?.hash, removed_through: "2026-03-03T00:00:00.000Z", at: "2026-03-05T18:30:00.000Z", merkle_frontier: expect.any(String) },
      ]);
    });

    it("leaves a chain that still verifies, and keeps verifying across later events and a second removal", async () => {
      await applyRetention(store.db, { retentionDays: 2, now: new Date("2026-03-05T18:30:00.000Z") });
      expect(await verifyChain(store.db, { batchSize: 4 })).toMatchObject({ ok: true, checked: 10, anchor: { seq: 6 } });
      clock = new Date("2026-03-06T09:00:00.000Z");
      await recorder.record(sampleInput());
      expect(await applyRetention(store.db, { retentionDays: 2, now: new Date("2026-03-05T23:00:00.000Z") })).toBeNull();
      const second = await applyRetention(store.db, { retentionDays: 2, now: new Date("2026-03-06T01:00:00.000Z") });
      expect(second).toMatchObject({ removed: 3, anchor: { seq: 9 } });
      expect(await verifyChain(store.db, { batchSize: 3 })).toMatchObject({ ok: true, checked: 9, anchor: { seq: 9 } });
    });

    it("removes everything when every event expired, and the chain still verifies", async () => {
      const result = await applyRetention(store.db, { retentionDays: 1, now: new Date("2026-04-01T00:00:00.000Z") });
      expect(result).toMatchObject({ removed: 15, anchor: { seq: 15 } });
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 1 });
    });

    it("does nothing while no whole day has expired", async () => {
      expect(await applyRetention(store.db, { retentionDays: 5, now: new Date("2026-03-05T12:00:00.000Z") })).toBeNull();
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 15 });
    });

    describe("tampering after retention", () => {
      beforeEach(async () => {
        await applyRetention(store.db, { retentionDays: 2, now: new Date("2026-03-05T18:30:00.000Z") });
      });

      it("detects an edited event", async () => {
        await sql`update audit_events set actor_email = 'x@example.com' where seq = 8`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 8, reason: expect.stringMatching(/edited/) } });
      });

      it("detects more events deleted than retention removed, even with the anchor row moved along", async () => {
        await sql`delete from audit_targets where event_seq = 7`.execute(store.db);
        await sql`delete from audit_events where seq = 7`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 8, reason: expect.stringMatching(/deleted or reordered/) } });
        await sql`update audit_anchor set seq = 7, hash = ${events[6]?.hash ?? ""}`.execute(store.db);
        // The anchor row now also holds the tree's frontier at its seq, which no longer fits the moved anchor.
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 7, reason: expect.stringMatching(/frontier/) } });
      });

      it("detects a deleted anchor and a forged early anchor", async () => {
        await sql`delete from audit_anchor`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 7, reason: expect.stringMatching(/deleted or reordered/) } });
        await sql`insert into audit_anchor (seq, hash, removed_through, at) values (3, ${events[2]?.hash ?? ""}, 'x', 'x')`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 3, reason: expect.stringMatching(/frontier/) } });
      });

      it("detects a reordered pair", async () => {
        await sql`delete from audit_targets where event_seq in (10, 11)`.execute(store.db);
        await sql`update audit_events set seq = 1000 where seq = 10`.execute(store.db);
        await sql`update audit_events set seq = 10 where seq = 11`.execute(store.db);
        await sql`update audit_events set seq = 11 where seq = 1000`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 10, reason: expect.stringMatching(/reordered/) } });
      });
    });
  });
}
