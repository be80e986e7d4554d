import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { DevdraftError } from "./errors";
import { createStoreBudget } from "./store-budget";

const LIMIT = 10;

describe.each(STORE_KINDS)("the store-backed upstream budget on $kind", ({ kind, skip }) => {
  let store: TestStore;
  beforeEach(async () => {
    if (!skip) store = await openTestStore(kind);
  });
  afterEach(async () => {
    if (!skip) await store.cleanup();
  });

  async function burst(instances: number, callsEach: number) {
    // SQLite serves one instance; PostgreSQL gets separate pools, as separate portal processes would have.
    const budgets = Array.from({ length: instances }, (_, i) => {
      const db = i === 0 ? store.db : store.reopen();
      return createStoreBudget({ db: async () => db, perMinute: LIMIT, maxWaitMs: 200 });
    });
    const calls = budgets.flatMap((b) => Array.from({ length: callsEach }, () => b.acquire({ deadline: Date.now() + 5_000 })));
    return Promise.allSettled(calls);
  }

  it.skipIf(skip)(`grants exactly ${LIMIT} sends a minute across instances, and refuses the rest with a delay`, async () => {
    const results = await burst(kind === "postgres" ? 3 : 1, kind === "postgres" ? 10 : 30);
    const granted = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(granted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(30 - LIMIT);
    for (const err of refused) {
      expect(err).toBeInstanceOf(DevdraftError);
      expect(err instanceof DevdraftError && err.kind === "rate_limited" && (err.retryAfterMs ?? 0) > 50_000).toBe(true);
    }
    const rows = await store.db.selectFrom("upstream_budget").select("used").execute();
    expect(rows.reduce((n, r) => n + Number(r.used), 0)).toBe(LIMIT);
  });

  it.skipIf(skip)("frees slots once their second has left the window", async () => {
    let clock = 1_000_000;
    const budget = createStoreBudget({ db: async () => store.db, perMinute: 2, maxWaitMs: 0, windowMs: 60_000, now: () => clock });
    expect(await budget.available?.()).toBe(2);
    await budget.acquire({ deadline: clock });
    await budget.acquire({ deadline: clock });
    expect(await budget.available?.()).toBe(0);
    await expect(budget.acquire({ deadline: clock })).rejects.toMatchObject({ kind: "rate_limited" });
    clock += 61_001;
    await expect(budget.acquire({ deadline: clock })).resolves.toBeUndefined();
    expect(await budget.available?.()).toBe(1);
  });
});
