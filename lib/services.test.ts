// The composition root (lib/services.ts): what it builds follows the configuration it is given, two containers
// share nothing, and the process's one container is what the getters below it read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sampleInput } from "@/test/support/audit-fixtures";
import { openTestStore, TEST_DATABASE_URL } from "@/test/support/stores";
import { recordAudit } from "@/lib/audit";
import { getDb, getReadDb } from "@/lib/db/get-db";
import { buildServices, closeServices, services, servicesConfigFromEnv, type Services } from "./services";

const dirs: string[] = [];
const sqliteEnv = () => {
  const dir = mkdtempSync(join(tmpdir(), "portal-services-"));
  dirs.push(dir);
  return { PORTAL_DATA_DIR: dir, NEXTAUTH_SECRET: "a-test-secret-of-at-least-32-characters" };
};
const eventCount = async (s: Services) => (await (await s.db()).selectFrom("audit_events").select("seq").execute()).length;
const budgetRows = async (s: Services) => (await (await s.db()).selectFrom("upstream_budget").selectAll().execute()).length;

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("buildServices", () => {
  it("two containers from two configurations are independent: each recorder writes into its own store", async () => {
    const a = buildServices(servicesConfigFromEnv(sqliteEnv()));
    const b = buildServices(servicesConfigFromEnv(sqliteEnv()));
    try {
      expect(await a.db()).not.toBe(await b.db());
      await (await a.recorder()).record(sampleInput());
      for (let i = 0; i < 2; i++) await (await b.recorder()).record(sampleInput());
      expect([await eventCount(a), await eventCount(b)]).toEqual([1, 2]);
      // Closing one leaves the other working.
      await a.close();
      await expect((await a.recorder()).record(sampleInput())).rejects.toThrow();
      expect((await (await b.recorder()).record(sampleInput())).seq).toBe(3);
      expect(await a.readDb()).toBe(await a.db());
      expect(a.hasReadReplica()).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("SQLite: the upstream budget is in memory (one process), the clients share it, nothing is written to the store", async () => {
    const s = buildServices(servicesConfigFromEnv(sqliteEnv()));
    try {
      const budget = s.budget();
      expect(s.existingBudget()).toBe(budget);
      await budget.acquire({ deadline: Date.now() + 5_000 });
      expect(await budgetRows(s)).toBe(0);
      expect(s.devdraft()).toBe(s.devdraft());
      expect(s.exports()).toBe(s.exports());
      expect(await s.exports().list("nobody")).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("reads nothing it does not need: a bad upstream setting fails the client, not the store", async () => {
    const s = buildServices(servicesConfigFromEnv({ ...sqliteEnv(), DEVDRAFT_RATE_LIMIT_PER_MIN: "many" }));
    try {
      await (await s.recorder()).record(sampleInput());
      expect(() => s.devdraft()).toThrow(/DEVDRAFT_RATE_LIMIT_PER_MIN/);
      expect(s.existingBudget()).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)(
    "PostgreSQL: the budget lives in the store (instances share it), and DATABASE_READ_URL gives a read store of its own",
    async () => {
      const store = await openTestStore("postgres");
      const url = store.url as string;
      const s = buildServices(servicesConfigFromEnv({ DATABASE_URL: url, DATABASE_READ_URL: url }));
      try {
        await s.budget().acquire({ deadline: Date.now() + 5_000 });
        expect(await budgetRows(s)).toBe(1);
        expect(await store.db.selectFrom("upstream_budget").selectAll().execute()).toHaveLength(1);
        expect(s.hasReadReplica()).toBe(true);
        expect(await s.readDb()).not.toBe(await s.db());
        await (await s.recorder()).record(sampleInput());
        expect(await store.db.selectFrom("audit_events").select("seq").execute()).toEqual([{ seq: 1 }]);
      } finally {
        await s.close();
        await store.cleanup();
      }
    },
  );
});

describe("the process's services", () => {
  it("are built once, on first use, and are what getDb and recordAudit read; closeServices() makes the next read build afresh", async () => {
    const saved = { DATABASE_URL: process.env.DATABASE_URL, PORTAL_DATA_DIR: process.env.PORTAL_DATA_DIR };
    delete process.env.DATABASE_URL;
    process.env.PORTAL_DATA_DIR = sqliteEnv().PORTAL_DATA_DIR;
    try {
      await closeServices();
      const first = services();
      expect(services()).toBe(first);
      expect(await getDb()).toBe(await first.db());
      expect(await getReadDb()).toBe(await first.db());
      const event = await recordAudit(sampleInput());
      expect(await eventCount(first)).toBe(event.seq);
      await closeServices();
      const second = services();
      expect(second).not.toBe(first);
      expect(await eventCount(second)).toBe(1);
    } finally {
      await closeServices();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
