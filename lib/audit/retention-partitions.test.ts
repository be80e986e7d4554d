// Issue 18, point 1: the audit log partitioned by month on PostgreSQL (migration 0020, lib/db/audit-partitions.ts).
// Partitions exist before the month they hold starts (the writer creates them ahead), every event and index row lands
// in its month, and retention drops whole months as partitions, recorded with the anchor they leave, so the chain
// still verifies, and tampering after a drop is still caught. SQLite keeps one table (retention.test.ts).
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listAuditPartitions } from "../db/audit-partitions";
import { openTestStore, TEST_DATABASE_URL, type TestStore } from "@/test/support/stores";
import { sampleInput } from "@/test/support/audit-fixtures";
import { type AuditEvent, type AuditRecorder, createAuditRecorder } from "./recorder";
import { applyRetention } from "./retention";
import { verifyChain } from "./verify";

describe.skipIf(!TEST_DATABASE_URL)("audit partitions on postgres", () => {
  let store: TestStore;
  let clock: Date;
  let recorder: AuditRecorder;
  const record = async (at: string, targets = [`cus_${at.slice(0, 10)}`]): Promise<AuditEvent> => {
    clock = new Date(at);
    return recorder.record(sampleInput({ targets }));
  };
  const months = async () => (await listAuditPartitions(store.db)).map((p) => p.month);
  /** Which partition holds each event and each index row, by seq. */
  const placement = async () => ({
    events: (
      await sql<{ seq: number; part: string }>`select seq::int as seq, tableoid::regclass::text as part from audit_events order by seq`.execute(store.db)
    ).rows,
    targets: (
      await sql<{ seq: number; part: string }>`select event_seq::int as seq, tableoid::regclass::text as part from audit_targets order by event_seq`.execute(
        store.db,
      )
    ).rows,
  });
  const tables = async () =>
    (
      await sql<{
        name: string;
      }>`select tablename as name from pg_tables where schemaname = current_schema() and tablename ~ '_[0-9]{4}_[0-9]{2}$' order by 1`.execute(store.db)
    ).rows.map((r) => r.name);

  beforeEach(async () => {
    store = await openTestStore("postgres");
    clock = new Date();
    recorder = createAuditRecorder(store.db, { now: () => clock });
  });
  afterEach(async () => {
    await recorder.close();
    await store.cleanup();
  });

  it("has the next months' partitions before they are needed, and events cross midnight on the 1st into their own month", async () => {
    await record("2026-01-15T10:00:00.000Z");
    // Written in January: February and March exist already, before any event of theirs.
    expect(await months()).toEqual(expect.arrayContaining(["2026-01", "2026-02", "2026-03"]));
    const last = await record("2026-01-31T23:59:59.999Z");
    const first = await record("2026-02-01T00:00:00.000Z");
    expect(await placement()).toEqual({
      events: [
        { seq: 1, part: "audit_events_2026_01" },
        { seq: last.seq, part: "audit_events_2026_01" },
        { seq: first.seq, part: "audit_events_2026_02" },
      ],
      targets: [
        { seq: 1, part: "audit_targets_2026_01" },
        { seq: last.seq, part: "audit_targets_2026_01" },
        { seq: first.seq, part: "audit_targets_2026_02" },
      ],
    });
    // Another instance (its own pool, nothing known yet) writes the first event of a month nobody created: it makes it.
    const other = store.reopen();
    const otherRecorder = createAuditRecorder(other, { now: () => new Date("2026-09-01T00:00:00.000Z") });
    await otherRecorder.record(sampleInput());
    await otherRecorder.close();
    expect(await months()).toEqual(expect.arrayContaining(["2026-09", "2026-10", "2026-11"]));
    expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 4 });
  });

  it("creates a month once when two instances race for it", async () => {
    const other = store.reopen();
    const a = createAuditRecorder(store.db, { now: () => new Date("2027-05-01T00:00:00.000Z") });
    const b = createAuditRecorder(other, { now: () => new Date("2027-05-01T00:00:00.001Z") });
    await Promise.all([a.record(sampleInput()), b.record(sampleInput())]);
    await Promise.all([a.close(), b.close()]);
    expect((await months()).filter((m) => m.startsWith("2027-05"))).toEqual(["2027-05"]);
    expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 2 });
  });

  describe("retention", () => {
    let events: AuditEvent[];
    beforeEach(async () => {
      events = [];
      for (const at of ["2026-01-10T00:00:00.000Z", "2026-01-20T12:00:00.000Z", "2026-01-31T23:59:59.999Z"]) events.push(await record(at));
      for (const at of ["2026-02-01T00:00:00.000Z", "2026-02-14T12:00:00.000Z", "2026-02-28T23:59:59.999Z"]) events.push(await record(at));
      for (const at of ["2026-03-01T00:00:00.000Z", "2026-03-04T12:00:00.000Z"]) events.push(await record(at));
    });

    it("drops whole expired months as partitions, records the anchor they leave, and the chain still verifies", async () => {
      // 10 days before 5 March is 23 February: January is the only month wholly past it; February's days stay.
      const result = await applyRetention(store.db, { retentionDays: 10, now: new Date("2026-03-05T18:30:00.000Z") });
      expect(result).toMatchObject({
        removed: 3,
        removedThrough: "2026-02-01T00:00:00.000Z",
        droppedPartitions: ["2026-01"],
        anchor: { seq: 3, hash: events[2]?.hash },
      });
      expect(JSON.parse(result?.event.detail ?? "{}")).toMatchObject({ anchor: { seq: 3 }, removed: 3, dropped_partitions: ["2026-01"] });
      expect(await tables()).not.toContain("audit_events_2026_01");
      expect(await tables()).not.toContain("audit_targets_2026_01");
      expect(await tables()).toContain("audit_events_2026_02");
      expect((await placement()).events.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8, 9]);
      expect(await store.db.selectFrom("audit_anchor").select(["seq", "removed_through"]).execute()).toEqual([
        { seq: 3, removed_through: "2026-02-01T00:00:00.000Z" },
      ]);
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 6, anchor: { seq: 3 } });
      // Nothing more until February is wholly past the cutoff; then it goes too, and the chain verifies again.
      expect(await applyRetention(store.db, { retentionDays: 10, now: new Date("2026-03-09T00:00:00.000Z") })).toBeNull();
      const second = await applyRetention(store.db, { retentionDays: 10, now: new Date("2026-03-12T00:00:00.000Z") });
      expect(second).toMatchObject({ removed: 3, droppedPartitions: ["2026-02"], anchor: { seq: 6 } });
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 4, anchor: { seq: 6 } });
      // The writer still has the months it needs after the drops.
      await record("2026-03-20T00:00:00.000Z");
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 5 });
    });

    it("keeps a straggler (stamped before midnight, committed after the next month's first event) and drops its month later", async () => {
      // Instance B stamped 23:59:59.998 on 31 March but committed after instance A's event of 1 April.
      const april = await record("2026-04-01T00:00:00.000Z");
      const straggler = await record("2026-03-31T23:59:59.998Z");
      expect(straggler.seq).toBe(april.seq + 1);
      const result = await applyRetention(store.db, { retentionDays: 1, now: new Date("2026-04-02T12:00:00.000Z") });
      // Everything before April's first event goes; March keeps its partition for the straggler.
      expect(result).toMatchObject({ removed: april.seq - 1, droppedPartitions: ["2026-01", "2026-02"] });
      expect((await placement()).events).toEqual([
        { seq: april.seq, part: "audit_events_2026_04" },
        { seq: straggler.seq, part: "audit_events_2026_03" },
        { seq: straggler.seq + 1, part: "audit_events_2026_04" },
      ]);
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 3 });
      await record("2026-05-02T00:00:00.000Z");
      const later = await applyRetention(store.db, { retentionDays: 1, now: new Date("2026-05-03T00:00:00.000Z") });
      expect(later).toMatchObject({ droppedPartitions: ["2026-03", "2026-04"] });
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 2 });
    });

    describe("tampering after a partition drop", () => {
      beforeEach(async () => {
        await applyRetention(store.db, { retentionDays: 10, now: new Date("2026-03-05T18:30:00.000Z") });
      });

      it("detects an edited event", async () => {
        await sql`update audit_events set actor_email = 'x@example.com' where seq = 5`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 5, reason: expect.stringMatching(/edited/) } });
      });

      it("detects a month dropped by hand, not by retention", async () => {
        await sql`drop table audit_targets_2026_02`.execute(store.db);
        await sql`drop table audit_events_2026_02`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 7, reason: expect.stringMatching(/deleted or reordered/) } });
      });

      it("detects a deleted anchor and an anchor moved past a hand-dropped month", async () => {
        await sql`delete from audit_anchor`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 4, reason: expect.stringMatching(/deleted or reordered/) } });
        await sql`drop table audit_targets_2026_02`.execute(store.db);
        await sql`drop table audit_events_2026_02`.execute(store.db);
        await sql`insert into audit_anchor (seq, hash, removed_through, at) values (6, ${events[5]?.hash ?? ""}, 'x', 'x')`.execute(store.db);
        expect(await verifyChain(store.db)).toMatchObject({ ok: false, firstBad: { seq: 6, reason: expect.stringMatching(/frontier/) } });
      });
    });
  });
});
