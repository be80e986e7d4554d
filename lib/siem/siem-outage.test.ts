import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { runOutageScenario } from "@/test/support/siem-outage-scenario";

// The done-when of issue 13, point 5, kept short for npm test (npm run soak:siem runs it for minutes): the syslog
// receiver is killed while staff work, the portal process restarts once, the receivers come back; every event
// arrives with no gap by id, the webhook receiver deduplicates, and rsyslog holds duplicates only of events that
// were in flight around the outage.
const PORTS = { sqlite: { syslogPort: 3221, webhookPort: 3222 }, postgres: { syslogPort: 3223, webhookPort: 3224 } };

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`SIEM outage on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("delivers every event after a receiver outage and a portal restart, with two portal processes", { timeout: 180_000 }, async () => {
      const storeEnv: Record<string, string> = store.kind === "sqlite" ? { PORTAL_DATA_DIR: dirname(store.file ?? "") } : { DATABASE_URL: store.url ?? "" };
      // Two portal processes work and ship at once (one lease per sink between them); one of them restarts.
      const figures = await runOutageScenario({ db: store.db, storeEnv, outageMs: 12_000, retryMaxMs: 2000, instances: 2, ...PORTS[kind] });
      expect(figures.events).toBeGreaterThan(100);
      expect(figures.maxBacklog).toBeGreaterThan(20);
      expect(figures.maxLagSeconds).toBeGreaterThanOrEqual(5);
      expect(figures.lastErrorSeen).toMatch(/syslog/);
      expect(figures.syslog.missing).toEqual([]);
      expect(figures.syslog.gaps).toEqual([]);
      for (const seq of figures.syslog.duplicates) {
        expect(seq).toBeGreaterThan(figures.syslog.cursorAtKill);
        expect(seq).toBeLessThanOrEqual(figures.syslog.headAtReturn);
      }
      expect(figures.webhook.missing).toEqual([]);
      expect(figures.webhook.distinct).toBe(figures.events);
      expect(figures.webhook.badSignatures).toBe(0);
      expect(figures.sample).toMatchObject({ msgid: "customer.view", classUid: 6003 });
    });
  });
}
