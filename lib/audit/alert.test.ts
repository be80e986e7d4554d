import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { bulkViewers } from "./alert";
import { createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";

const bulk = { id: "staff-bulk", email: "bulk@demo.local" };
const calm = { id: "staff-calm", email: "calm@demo.local" };
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `cus_${from + i}`);

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`bulk-viewing alert on ${kind}`, () => {
    let store: TestStore;
    let clock = new Date("2026-03-01T10:05:00.000Z");
    beforeEach(async () => {
      store = await openTestStore(kind);
      const recorder = createAuditRecorder(store.db, { now: () => clock });
      const at = (iso: string) => {
        clock = new Date(iso);
      };
      // bulk: 6 distinct customers in the 10:00 hour (one seen twice), then 5 in the 11:00 hour.
      at("2026-03-01T10:05:00.000Z");
      await recorder.record(sampleInput({ actor: bulk, action: "customers.list", targets: ids(1, 4) }));
      at("2026-03-01T10:50:00.000Z");
      await recorder.record(sampleInput({ actor: bulk, action: "customers.list", targets: ids(4, 3) }));
      await recorder.record(sampleInput({ actor: bulk, action: "customers.list", targets: ids(50, 20), outcome: "denied" }));
      at("2026-03-01T11:10:00.000Z");
      await recorder.record(sampleInput({ actor: bulk, action: "customers.list", targets: ids(10, 5) }));
      // calm: exactly the threshold, which is not more than it.
      await recorder.record(sampleInput({ actor: calm, action: "customers.list", targets: ids(1, 5) }));
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("flags staff above the threshold of distinct customers in one clock hour, ignoring refused answers", async () => {
      expect(await bulkViewers(store.db, { threshold: 5, since: new Date("2026-03-01T00:00:00.000Z") })).toEqual([
        { actor_id: bulk.id, actor_email: bulk.email, hour: "2026-03-01T10", customers: 6 },
      ]);
    });

    it("flags nobody when the threshold is not exceeded or the window has passed", async () => {
      expect(await bulkViewers(store.db, { threshold: 6, since: new Date("2026-03-01T00:00:00.000Z") })).toEqual([]);
      expect(await bulkViewers(store.db, { threshold: 4, since: new Date("2026-03-01T11:00:00.000Z") })).toEqual([
        { actor_id: bulk.id, actor_email: bulk.email, hour: "2026-03-01T11", customers: 5 },
        { actor_id: calm.id, actor_email: calm.email, hour: "2026-03-01T11", customers: 5 },
      ]);
    });

    it("gives the same answer read one or two events a step (keyset over equal times loses and repeats nothing)", async () => {
      const since = new Date("2026-03-01T00:00:00.000Z");
      const whole = await bulkViewers(store.db, { threshold: 4, since });
      expect(whole).toHaveLength(3);
      for (const chunk of [1, 2]) expect(await bulkViewers(store.db, { threshold: 4, since, chunk })).toEqual(whole);
    });
  });
}
