import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { raiseBulkViewingAlerts } from "./alert";
import { type AlertMessage, alertMessage, deliverDueAlertMail, EMAIL_LEASE_MS, retryDelayMs } from "./alert-mail";
import { createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";

const bulk = { id: "staff-bulk", email: "bulk@demo.local" };
const PORTAL = "https://portal.example.com";
const T0 = new Date("2026-03-01T11:00:00.000Z");
const plus = (ms: number) => new Date(T0.getTime() + ms);

describe("alert e-mail backoff", () => {
  it("waits 30 s after the first failure, doubling, at most an hour", () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });
});

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`alert e-mail delivery on ${kind}`, () => {
    let store: TestStore;
    let alertId = "";
    const row = () => store.db.selectFrom("audit_alerts").selectAll().where("id", "=", alertId).executeTakeFirstOrThrow();

    beforeEach(async () => {
      store = await openTestStore(kind);
      const recorder = createAuditRecorder(store.db, { now: () => new Date("2026-03-01T10:30:00.000Z") });
      await recorder.record(sampleInput({ actor: bulk, action: "customers.list", targets: ["cus_secret_1", "cus_secret_2", "cus_secret_3"] }));
      const [alert] = await raiseBulkViewingAlerts(store.db, { threshold: 2, since: new Date("2026-03-01T00:00:00.000Z"), email: true, now: () => T0 });
      alertId = alert?.id ?? "";
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("names the staff member, hour and count, links to /audit, and names no customer", async () => {
      const message = alertMessage(await row(), PORTAL);
      expect(message.subject).toBe("[Devdraft portal] Bulk viewing: bulk@demo.local saw 3 customers in one hour");
      expect(message.text).toContain("Staff member: bulk@demo.local (id staff-bulk)");
      expect(message.text).toContain("Hour (UTC):   2026-03-01 10:00 to 10:59");
      expect(message.text).toContain("3 distinct customers seen (threshold 2)");
      expect(message.text).toContain("https://portal.example.com/audit");
      expect(`${message.subject}${message.text}`).not.toContain("cus_");
    });

    it("a failed send is retried after the backoff with the reason kept, then sent once", async () => {
      const sent: AlertMessage[] = [];
      let up = false;
      const send = async (m: AlertMessage) => {
        if (!up) throw new Error("connect ECONNREFUSED 127.0.0.1:2525 (smtp://user:hunter2@127.0.0.1:2525)");
        sent.push(m);
      };
      expect(await deliverDueAlertMail(store.db, { send, portalUrl: PORTAL, now: () => T0 })).toEqual({ sent: [], failed: [alertId] });
      const failed = await row();
      expect(failed).toMatchObject({ email_status: "pending", email_attempts: 1, email_next_at: plus(30_000).toISOString() });
      expect(failed.email_last_error).toContain("ECONNREFUSED");
      expect(failed.email_last_error).not.toContain("hunter2");
      // Not before the backoff, even with the server back.
      up = true;
      expect(await deliverDueAlertMail(store.db, { send, portalUrl: PORTAL, now: () => plus(29_999) })).toEqual({ sent: [], failed: [] });
      // A restart: another connection, same store, after the backoff.
      const again = store.reopen();
      expect(await deliverDueAlertMail(again, { send, portalUrl: PORTAL, now: () => plus(30_000) })).toEqual({ sent: [alertId], failed: [] });
      expect(await row()).toMatchObject({
        email_status: "sent",
        email_attempts: 2,
        email_sent_at: plus(30_000).toISOString(),
        email_next_at: null,
        email_last_error: null,
      });
      expect(await deliverDueAlertMail(store.db, { send, portalUrl: PORTAL, now: () => plus(10 * 3_600_000) })).toEqual({ sent: [], failed: [] });
      expect(sent).toHaveLength(1);
    });

    it("of several instances delivering at once exactly one sends", async () => {
      const sent: string[] = [];
      const send = async (m: AlertMessage) => {
        await new Promise((r) => setTimeout(r, 50));
        sent.push(m.subject);
      };
      // PostgreSQL: separate connections (instances). SQLite: interleaved on one (see alert-raise.test.ts).
      const dbs = Array.from({ length: 4 }, (_, i) => (kind === "postgres" && i > 0 ? store.reopen() : store.db));
      const results = await Promise.all(dbs.map((db) => deliverDueAlertMail(db, { send, portalUrl: PORTAL, now: () => T0 })));
      expect(results.flatMap((r) => r.sent)).toEqual([alertId]);
      expect(sent).toHaveLength(1);
      expect(await row()).toMatchObject({ email_status: "sent", email_attempts: 1 });
    });

    it("a claim whose sender died is taken over after the lease, not before", async () => {
      // An instance claimed it and died mid-send: the row says sending, leased until T0 + lease.
      await store.db
        .updateTable("audit_alerts")
        .set({ email_status: "sending", email_attempts: 1, email_next_at: plus(EMAIL_LEASE_MS).toISOString() })
        .where("id", "=", alertId)
        .execute();
      const sent: AlertMessage[] = [];
      const send = async (m: AlertMessage) => {
        sent.push(m);
      };
      expect((await deliverDueAlertMail(store.db, { send, portalUrl: PORTAL, now: () => plus(EMAIL_LEASE_MS - 1) })).sent).toEqual([]);
      expect((await deliverDueAlertMail(store.db, { send, portalUrl: PORTAL, now: () => plus(EMAIL_LEASE_MS) })).sent).toEqual([alertId]);
      expect(await row()).toMatchObject({ email_status: "sent", email_attempts: 2 });
      expect(sent).toHaveLength(1);
    });

    it("a late answer of a sender whose lease was taken over does not overwrite the new claim", async () => {
      let release: () => void = () => {};
      const slow = deliverDueAlertMail(store.db, {
        send: () => new Promise<void>((_, reject) => (release = () => reject(new Error("timed out")))),
        portalUrl: PORTAL,
        now: () => T0,
      });
      await new Promise((r) => setTimeout(r, 50));
      const fast = await deliverDueAlertMail(kind === "postgres" ? store.reopen() : store.db, {
        send: async () => {},
        portalUrl: PORTAL,
        now: () => plus(EMAIL_LEASE_MS),
      });
      expect(fast.sent).toEqual([alertId]);
      release();
      expect((await slow).failed).toEqual([alertId]);
      expect(await row()).toMatchObject({ email_status: "sent", email_attempts: 2 });
    });

    it("an alert raised with e-mail off is never sent", async () => {
      await store.db.updateTable("audit_alerts").set({ email_status: "off", email_next_at: null }).where("id", "=", alertId).execute();
      const send = async () => {
        throw new Error("must not send");
      };
      expect(await deliverDueAlertMail(store.db, { send, portalUrl: PORTAL, now: () => plus(DAY) })).toEqual({ sent: [], failed: [] });
    });
  });
}

const DAY = 86_400_000;
