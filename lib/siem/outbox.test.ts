import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { createAuditRecorder } from "../audit/recorder";
import { applyRetention } from "../audit/retention";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "../audit/verify";
import { backoffMs, claimLease, ensureCursor, markDelivered, readCursor, readSinkStatuses } from "./outbox";
import { startSiemShipper } from "./shipper";
import type { OutgoingEvent, Transport } from "./transports";

/** A receiver in memory: it is the transport boundary (the real ones are tested in transports.test.ts). */
function memoryTransport() {
  const got: OutgoingEvent[] = [];
  const state = { down: false, calls: 0 };
  const transport: Transport = {
    async send(events) {
      state.calls++;
      if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:1");
      got.push(...events);
    },
  };
  return { got, state, transport };
}

async function record(store: TestStore, n: number, at?: () => Date): Promise<void> {
  const recorder = createAuditRecorder(store.db, at ? { now: at } : {});
  await Promise.all(Array.from({ length: n }, (_, i) => recorder.record(sampleInput({ targets: [`cus_${i}`] }))));
  await recorder.close();
}

describe("backoff", () => {
  it("doubles from 1 s, is capped, and jitters between half and whole", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, 5000, () => 1)).toBe(5000);
    expect(backoffMs(30, 5000, () => 0)).toBe(2500);
    expect(backoffMs(3, 60_000, () => 0.5)).toBe(3000);
  });
});

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`SIEM outbox on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("one instance holds a sink's lease; another takes it only when it expired; the cursor is fenced", async () => {
      const other = store.reopen();
      const t0 = new Date("2026-03-01T00:00:00.000Z");
      await ensureCursor(store.db, "syslog", t0);
      await ensureCursor(other, "syslog", t0); // a second instance: no second row, no reset
      expect(await claimLease(store.db, "syslog", "a", t0, 30_000)).toBe(true);
      expect(await claimLease(other, "syslog", "b", new Date(t0.getTime() + 29_000), 30_000)).toBe(false);
      expect(await claimLease(store.db, "syslog", "a", new Date(t0.getTime() + 29_000), 30_000)).toBe(true); // renewed
      expect(await claimLease(other, "syslog", "b", new Date(t0.getTime() + 58_000), 30_000)).toBe(false);
      expect(await claimLease(other, "syslog", "b", new Date(t0.getTime() + 60_000), 30_000)).toBe(true); // a died
      // a, whose lease was taken, cannot move the cursor; b can, from where it read.
      expect(await markDelivered(store.db, "syslog", "a", 0, 5, t0)).toBe(false);
      expect(await markDelivered(other, "syslog", "b", 1, 5, t0)).toBe(false);
      expect(await markDelivered(other, "syslog", "b", 0, 5, t0)).toBe(true);
      expect((await readCursor(store.db, "syslog"))?.delivered_seq).toBe(5);
    });

    it("ships every event once in seq order, keeps the batch on failure, backs off, and reports backlog and lag", async () => {
      await record(store, 25);
      const sink = memoryTransport();
      sink.state.down = true;
      const shipper = startSiemShipper({
        db: async () => store.db,
        sinks: [{ name: "webhook", transport: sink.transport }],
        batchSize: 10,
        retryMaxMs: 4000,
        pollMs: 60_000,
        random: () => 1,
      });
      try {
        await shipper.flush();
        let cursor = await readCursor(store.db, "webhook");
        expect(cursor).toMatchObject({ delivered_seq: 0, attempts: 1, last_error: "connect ECONNREFUSED 127.0.0.1:1" });
        const wait = Date.parse(cursor?.next_attempt_at ?? "") - Date.parse(cursor?.last_error_at ?? "");
        expect(wait).toBe(1000);
        const [status] = await readSinkStatuses(store.db, ["webhook"], new Date(Date.now() + 5000));
        expect(status).toMatchObject({
          sink: "webhook",
          configured: true,
          backlog: 25,
          deliveredSeq: 0,
          attempts: 1,
          lastError: "connect ECONNREFUSED 127.0.0.1:1",
        });
        expect(status?.lagSeconds).toBeGreaterThanOrEqual(5);
        expect(JSON.stringify(status)).not.toMatch(/secret|https?:/);

        // Not before the next attempt time: no send.
        const calls = sink.state.calls;
        await shipper.flush();
        expect(sink.state.calls).toBe(calls);

        // Second failure doubles the wait.
        await store.db
          .updateTable("siem_cursors")
          .set({ next_attempt_at: new Date(0).toISOString() })
          .execute();
        await shipper.flush();
        cursor = await readCursor(store.db, "webhook");
        expect(cursor?.attempts).toBe(2);
        expect(Date.parse(cursor?.next_attempt_at ?? "") - Date.parse(cursor?.last_error_at ?? "")).toBe(2000);

        sink.state.down = false;
        await store.db
          .updateTable("siem_cursors")
          .set({ next_attempt_at: new Date(0).toISOString() })
          .execute();
        await shipper.flush();
        expect(sink.got.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        expect(new Set(sink.got.map((e) => e.id)).size).toBe(25);
        expect(sink.got[0]?.ocsf).toMatchObject({ class_uid: 6003, metadata: { uid: sink.got[0]?.id, sequence: 1 } });
        cursor = await readCursor(store.db, "webhook");
        expect(cursor).toMatchObject({ delivered_seq: 25, attempts: 0 });
        const [after] = await readSinkStatuses(store.db, ["webhook"]);
        expect(after).toMatchObject({ backlog: 0, lagSeconds: 0, lastDeliveredAt: expect.any(String) });
      } finally {
        await shipper.stop(1000);
      }
      // stop() handed the lease back.
      expect((await readCursor(store.db, "webhook"))?.lease_holder).toBeNull();
    });

    it("stop() makes a last attempt for what was recorded since the last poll, within its deadline, and hands the lease back", async () => {
      const sink = memoryTransport();
      const shipper = startSiemShipper({
        db: async () => store.db,
        sinks: [{ name: "syslog", transport: sink.transport }],
        batchSize: 100,
        retryMaxMs: 1000,
        pollMs: 60_000,
        holder: "a",
      });
      await shipper.flush();
      await record(store, 5); // after the first poll; the next one is a minute away
      await shipper.stop(2000);
      expect(sink.got.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(await readCursor(store.db, "syslog")).toMatchObject({ delivered_seq: 5, lease_holder: null });

      // A receiver that hangs: stop() still returns at its deadline.
      const hanging: Transport = { send: () => new Promise(() => {}) };
      const stuck = startSiemShipper({
        db: async () => store.db,
        sinks: [{ name: "syslog", transport: hanging }],
        batchSize: 100,
        retryMaxMs: 1000,
        pollMs: 60_000,
        holder: "b",
      });
      await record(store, 1);
      const started = Date.now();
      await stuck.stop(500);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("two instances shipping one sink deliver each event once when neither fails", async () => {
      await record(store, 40);
      const sink = memoryTransport();
      const opts = { sinks: [{ name: "syslog", transport: sink.transport }], batchSize: 7, retryMaxMs: 1000, pollMs: 20 };
      const a = startSiemShipper({ ...opts, db: async () => store.db, holder: "a" });
      const otherDb = store.reopen();
      const b = startSiemShipper({ ...opts, db: async () => otherDb, holder: "b" });
      try {
        await expect.poll(async () => (await readCursor(store.db, "syslog"))?.delivered_seq, { timeout: 10_000 }).toBe(40);
      } finally {
        await Promise.all([a.stop(500), b.stop(500)]);
      }
      expect(sink.got.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    // Expired events are dated February: PostgreSQL's partitioned store removes whole months (lib/audit/retention.ts).
    it("retention is not held back by a sink that delivered everything", async () => {
      const clock = new Date("2026-02-27T12:00:00.000Z");
      await record(store, 3, () => clock);
      await ensureCursor(store.db, "webhook", clock);
      expect(await claimLease(store.db, "webhook", "a", clock, 30_000)).toBe(true);
      expect(await markDelivered(store.db, "webhook", "a", 0, 3, clock)).toBe(true);
      const result = await applyRetention(store.db, { retentionDays: 5, now: new Date("2026-03-10T13:00:00.000Z") });
      expect(result?.removed).toBe(3);
      expect(result?.removedThrough).toBe(kind === "postgres" ? "2026-03-01T00:00:00.000Z" : "2026-03-05T00:00:00.000Z");
      expect(result?.event.detail).not.toContain("held_for_siem");
    });

    it("retention keeps events a sink has not delivered, and purges them once delivered", async () => {
      let clock = new Date("2026-02-27T12:00:00.000Z");
      await record(store, 10, () => clock);
      clock = new Date("2026-03-10T12:00:00.000Z");
      await record(store, 2, () => clock);
      await ensureCursor(store.db, "syslog", clock);
      expect(await claimLease(store.db, "syslog", "a", clock, 30_000)).toBe(true);
      expect(await markDelivered(store.db, "syslog", "a", 0, 4, clock)).toBe(true);

      const now = new Date("2026-03-10T13:00:00.000Z");
      const first = await applyRetention(store.db, { retentionDays: 5, now });
      expect(first?.removed).toBe(4); // seq 5-10 are past retention but not delivered
      expect(first?.event.detail).toContain('"held_for_siem":true');
      const kept = await store.db.selectFrom("audit_events").select("seq").orderBy("seq").execute();
      expect(kept[0]?.seq).toBe(5);
      expect((await verifyChain(store.db)).ok).toBe(true);

      expect(await markDelivered(store.db, "syslog", "a", 4, 12, now)).toBe(true);
      const second = await applyRetention(store.db, { retentionDays: 5, now });
      expect(second?.removed).toBe(6);
      expect(second?.event.detail).not.toContain("held_for_siem");
      expect((await verifyChain(store.db)).ok).toBe(true);
      // The shipper then finds only the retention event after its cursor, and carries on.
      const sink = memoryTransport();
      const shipper = startSiemShipper({
        db: async () => store.db,
        sinks: [{ name: "syslog", transport: sink.transport }],
        batchSize: 50,
        retryMaxMs: 1000,
        pollMs: 60_000,
        holder: "a",
      });
      await shipper.flush();
      await shipper.stop(500);
      expect(sink.got.map((e) => e.action)).toEqual(["audit.retention", "audit.retention"]);
    });
  });
}
