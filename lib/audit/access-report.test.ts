import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { accessReport } from "./access-report";
import { type AuditRecorder, createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";

const FROM = new Date("2024-03-01T00:00:00.000Z");
const TO = new Date("2024-04-01T00:00:00.000Z");
const SUBJECT = "cus_subject";

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`access report on ${kind}`, () => {
    let store: TestStore;
    let clock: Date;
    let recorder: AuditRecorder;
    const at = (iso: string) => {
      clock = new Date(iso);
    };

    beforeEach(async () => {
      store = await openTestStore(kind);
      clock = FROM;
      recorder = createAuditRecorder(store.db, { now: () => clock });
      await store.db
        .insertInto("staff")
        .values({
          id: "staff-1",
          email: "agent@example.com",
          name: "Alex Agent",
          role: "agent",
          password_hash: null,
          disabled_at: null,
          created_at: FROM.toISOString(),
          updated_at: FROM.toISOString(),
        })
        .execute();
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("lists exactly the customer's accesses in the period, oldest first, with purpose, origin and staff", async () => {
      const origin = { sessionId: "sid-1", clientAddress: "203.0.113.7", userAgent: "test" };
      at("2024-02-29T23:59:59.999Z");
      await recorder.record(sampleInput({ targets: [SUBJECT] }));
      at("2024-03-01T00:00:00.000Z");
      const list = await recorder.record(sampleInput({ action: "customers.list", targets: ["cus_other", SUBJECT], query: { take: 10 }, origin }));
      at("2024-03-02T10:00:00.000Z");
      await recorder.record(sampleInput({ targets: ["cus_other"] }));
      // An audit action naming the customer (an auditor's lookup) is not an access to the customer's data.
      await recorder.record(sampleInput({ action: "customer.lookup", targets: [SUBJECT], query: { email: "s@example.com" } }));
      await recorder.record(sampleInput({ action: "auth.signin", targets: [] }));
      at("2024-03-15T08:30:00.000Z");
      const reveal = await recorder.record(sampleInput({ action: "customer.reveal", targets: [SUBJECT], purpose: "ticket 4711: caller verification", origin }));
      const refused = await recorder.record(
        sampleInput({ actor: { id: "staff-gone", email: "gone@example.com" }, targets: [SUBJECT], outcome: "denied", refusal: "role not allowed" }),
      );
      at("2024-03-31T23:59:59.999Z");
      const exported = await recorder.record(sampleInput({ action: "customers.export", targets: [SUBJECT, "cus_other"], query: {} }));
      at("2024-04-01T00:00:00.000Z");
      await recorder.record(sampleInput({ targets: [SUBJECT] }));

      const report = await accessReport(store.db, { customerId: SUBJECT, from: FROM, to: TO });

      expect(report.rows.map((r) => r.id)).toEqual([list.id, reveal.id, refused.id, exported.id]);
      expect(report.rows.map((r) => r.seq)).toEqual([list.seq, reveal.seq, refused.seq, exported.seq]);
      expect(report.truncated).toBe(false);
      expect(report.rows[1]).toEqual({
        seq: reveal.seq,
        id: reveal.id,
        at: "2024-03-15T08:30:00.000Z",
        action: "customer.reveal",
        outcome: "ok",
        purpose: "ticket 4711: caller verification",
        refusal: null,
        staffId: "staff-1",
        staffEmail: "agent@example.com",
        staffName: "Alex Agent",
        clientAddress: "203.0.113.7",
        sessionId: "sid-1",
        requestId: reveal.request_id,
      });
      expect(report.rows[2]).toMatchObject({
        outcome: "denied",
        refusal: "role not allowed",
        staffId: "staff-gone",
        staffEmail: "gone@example.com",
        staffName: null,
        purpose: null,
      });
    });

    it("shows the staff member's current name beside the email recorded at the time", async () => {
      await recorder.record(sampleInput({ targets: [SUBJECT] }));
      await store.db.updateTable("staff").set({ name: "Alex Renamed", email: "alex@example.com" }).where("id", "=", "staff-1").execute();
      const [row] = (await accessReport(store.db, { customerId: SUBJECT, from: FROM, to: TO })).rows;
      expect(row).toMatchObject({ staffName: "Alex Renamed", staffEmail: "agent@example.com" });
    });

    it("stops at the limit and says there were more", async () => {
      const events = [];
      for (let i = 0; i < 4; i++) events.push(await recorder.record(sampleInput({ targets: [SUBJECT] })));
      const capped = await accessReport(store.db, { customerId: SUBJECT, from: FROM, to: TO }, 3);
      expect(capped.rows.map((r) => r.id)).toEqual(events.slice(0, 3).map((e) => e.id));
      expect(capped.truncated).toBe(true);
      const exact = await accessReport(store.db, { customerId: SUBJECT, from: FROM, to: TO }, 4);
      expect(exact.rows).toHaveLength(4);
      expect(exact.truncated).toBe(false);
    });

    it("is empty for a customer nobody accessed", async () => {
      await recorder.record(sampleInput({ targets: ["cus_other"] }));
      expect(await accessReport(store.db, { customerId: SUBJECT, from: FROM, to: TO })).toEqual({
        customerId: SUBJECT,
        from: FROM.toISOString(),
        to: TO.toISOString(),
        rows: [],
        truncated: false,
        limit: 10_000,
      });
    });
  });
}
