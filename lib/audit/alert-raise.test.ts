import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { ConflictError, InvalidQueryError, NotFoundError } from "@/lib/errors";
import { acknowledgeAlert, listAlerts, parseAckNote, raiseBulkViewingAlerts } from "./alert";
import { createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "./verify";

const bulk = { id: "staff-bulk", email: "bulk@demo.local" };
const other = { id: "staff-other", email: "other@demo.local" };
const auditor = { id: "staff-auditor", email: "Auditor@demo.local" };
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `cus_${from + i}`);
const SINCE = new Date("2026-03-01T00:00:00.000Z");
const RAISED_AT = new Date("2026-03-01T11:00:30.000Z");

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`raising bulk-viewing alerts on ${kind}`, () => {
    let store: TestStore;
    let clock = new Date("2026-03-01T10:05:00.000Z");
    const views = async (actor: { id: string; email: string }, targets: string[]) => {
      await createAuditRecorder(store.db, { now: () => clock }).record(sampleInput({ actor, action: "customers.list", targets }));
    };
    const alertEvents = () => store.db.selectFrom("audit_events").selectAll().where("action", "=", "alert.bulk_viewing").orderBy("seq").execute();
    // PostgreSQL: separate connections, as separate instances have. SQLite: better-sqlite3 is synchronous, so two
    // connections in one thread would wait on each other's lock until busy_timeout; interleaved calls share one.
    const concurrent = (n: number) => Array.from({ length: n }, (_, i) => (kind === "postgres" && i > 0 ? store.reopen() : store.db));
    const raise = (db = store.db) => raiseBulkViewingAlerts(db, { threshold: 5, since: SINCE, email: false, now: () => RAISED_AT });

    beforeEach(async () => {
      store = await openTestStore(kind);
      clock = new Date("2026-03-01T10:05:00.000Z");
      await views(bulk, ids(1, 4));
      clock = new Date("2026-03-01T10:50:00.000Z");
      await views(bulk, ids(4, 3)); // 6 distinct in the 10:00 hour
      await views(other, ids(1, 5)); // exactly the threshold: no alert
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("raises one alert per staff member and hour, with its own event naming the staff member and count but no customer", async () => {
      const [alert, ...more] = await raise();
      expect(more).toEqual([]);
      expect(alert).toMatchObject({
        kind: "bulk_viewing",
        subject_id: bulk.id,
        subject_email: bulk.email,
        hour: "2026-03-01T10",
        customers: 6,
        threshold: 5,
        raised_at: RAISED_AT.toISOString(),
        email_status: "off",
        acknowledged_at: null,
      });
      const events = await alertEvents();
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({ seq: alert?.event_seq, actor_id: null, actor_email: null, outcome: "ok", targets: "[]", at: RAISED_AT.toISOString() });
      expect(JSON.parse(event?.detail ?? "null")).toEqual({
        alert_id: alert?.id,
        kind: "bulk_viewing",
        title: "Bulk viewing: bulk@demo.local saw 6 distinct customers in one hour",
        subject_id: bulk.id,
        subject_email: bulk.email,
        hour: "2026-03-01T10",
        hour_start: "2026-03-01T10:00:00.000Z",
        hour_end: "2026-03-01T10:59:59.999Z",
        customers: 6,
        threshold: 5,
        email: "off",
      });
      expect(
        await store.db
          .selectFrom("audit_targets")
          .selectAll()
          .where("event_seq", "=", event?.seq ?? -1)
          .execute(),
      ).toEqual([]);
      expect((await verifyChain(store.db)).ok).toBe(true);
    });

    it("does not raise again on the next pass, nor when the count rises later in the same hour", async () => {
      await raise();
      expect(await raise()).toEqual([]);
      clock = new Date("2026-03-01T10:55:00.000Z");
      await views(bulk, ids(100, 10));
      expect(await raise()).toEqual([]);
      expect(await alertEvents()).toHaveLength(1);
      const rows = await store.db.selectFrom("audit_alerts").selectAll().execute();
      expect(rows.map((r) => [r.hour, r.customers])).toEqual([["2026-03-01T10", 6]]);
      // A new hour is a new alert.
      clock = new Date("2026-03-01T11:10:00.000Z");
      await views(bulk, ids(200, 6));
      expect((await raise()).map((a) => a.hour)).toEqual(["2026-03-01T11"]);
      expect(await alertEvents()).toHaveLength(2);
    });

    it("raises exactly once when several detectors run at the same moment", async () => {
      const connections = concurrent(4);
      for (let round = 0; round < 3; round += 1) {
        const raised = await Promise.all(connections.map((db) => raise(db)));
        expect(raised.flat()).toHaveLength(round === 0 ? 1 : 0);
      }
      expect(await store.db.selectFrom("audit_alerts").selectAll().execute()).toHaveLength(1);
      expect(await alertEvents()).toHaveLength(1);
      expect((await verifyChain(store.db)).ok).toBe(true);
    });

    it("an alert is pending e-mail when e-mail is on, due at once", async () => {
      const [alert] = await raiseBulkViewingAlerts(store.db, { threshold: 5, since: SINCE, email: true, now: () => RAISED_AT });
      expect(alert).toMatchObject({ email_status: "pending", email_next_at: RAISED_AT.toISOString(), email_attempts: 0 });
      expect(JSON.parse((await alertEvents())[0]?.detail ?? "null")).toMatchObject({ email: "queued" });
    });

    it("is acknowledged once, with who, when and the note; again is a conflict, an unknown id not found", async () => {
      const [alert] = await raise();
      const id = alert?.id ?? "";
      const at = new Date("2026-03-01T12:00:00.000Z");
      const acked = await acknowledgeAlert(store.db, { id, by: auditor, note: "Asked their manager", now: at });
      expect(acked).toMatchObject({
        acknowledged_by: auditor.id,
        acknowledged_by_email: "auditor@demo.local",
        acknowledged_at: at.toISOString(),
        ack_note: "Asked their manager",
      });
      const again = acknowledgeAlert(store.db, { id, by: other, note: null });
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      await expect(again).rejects.toThrow("already acknowledged by auditor@demo.local at 2026-03-01T12:00:00.000Z");
      const row = await store.db.selectFrom("audit_alerts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect([row.acknowledged_by, row.ack_note]).toEqual([auditor.id, "Asked their manager"]);
      await expect(acknowledgeAlert(store.db, { id: "no-such-alert", by: auditor, note: null })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("of two acknowledgements at the same moment exactly one wins", async () => {
      const [alert] = await raise();
      const results = await Promise.allSettled(
        concurrent(2).map((db, i) => acknowledgeAlert(db, { id: alert?.id ?? "", by: i === 0 ? auditor : other, note: `n${i}` })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.filter((r) => r.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    });

    it("lists open alerts first, and acknowledged ones from the period", async () => {
      const [first] = await raise();
      clock = new Date("2026-03-01T11:10:00.000Z");
      await views(bulk, ids(200, 6));
      const [second] = await raise();
      await acknowledgeAlert(store.db, { id: second?.id ?? "", by: auditor, note: null });
      expect((await listAlerts(store.db, { since: SINCE })).map((a) => a.id)).toEqual([first?.id, second?.id]);
      expect((await listAlerts(store.db, { since: new Date("2026-03-02T00:00:00.000Z") })).map((a) => a.id)).toEqual([first?.id]);
    });
  });
}

describe("the acknowledgement note", () => {
  it("is optional, trimmed and at most 500 characters", () => {
    expect(parseAckNote(undefined)).toBeNull();
    expect(parseAckNote("   ")).toBeNull();
    expect(parseAckNote("  checked with HR ")).toBe("checked with HR");
    expect(parseAckNote("x".repeat(500))).toHaveLength(500);
    expect(() => parseAckNote("x".repeat(501))).toThrow(InvalidQueryError);
    expect(() => parseAckNote(42)).toThrow("note must be text");
  });
});
