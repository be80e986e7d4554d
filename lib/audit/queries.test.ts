import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { eventsByRequestId, recentAccessForCustomer } from "./queries";
import { createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`audit queries on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("recentAccessForCustomer returns the events that touched a customer, newest first", async () => {
      const recorder = createAuditRecorder(store.db);
      const list = await recorder.record(sampleInput({ action: "customers.list", targets: ["cus_a", "cus_b"], query: { page: 1 } }));
      await recorder.record(sampleInput({ action: "customer.view", targets: ["cus_b"] }));
      const reveal = await recorder.record(sampleInput({ action: "customer.reveal", targets: ["cus_a"] }));
      await recorder.record(sampleInput({ action: "auth.signin", targets: [] }));

      expect(await recentAccessForCustomer(store.db, "cus_a", 10)).toEqual([reveal, list]);
      expect((await recentAccessForCustomer(store.db, "cus_b", 10)).map((e) => e.action)).toEqual(["customer.view", "customers.list"]);
      expect(await recentAccessForCustomer(store.db, "cus_a", 1)).toEqual([reveal]);
      expect(await recentAccessForCustomer(store.db, "cus_none", 10)).toEqual([]);
    });

    it("eventsByRequestId returns one request's events in chain order", async () => {
      const recorder = createAuditRecorder(store.db);
      const denied = await recorder.record(sampleInput({ requestId: "req-1", outcome: "denied" }));
      await recorder.record(sampleInput({ requestId: "req-2" }));
      const ok = await recorder.record(sampleInput({ requestId: "req-1" }));
      expect(await eventsByRequestId(store.db, "req-1")).toEqual([denied, ok]);
      expect(await eventsByRequestId(store.db, "req-3")).toEqual([]);
    });
  });
}
