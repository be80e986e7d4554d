import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { createDb } from "@/lib/db/connect";
import { StoreUnavailableError } from "@/lib/db/errors";
import { withWriteTransaction } from "@/lib/db/write-transaction";
import { errorResponse } from "@/lib/http/api-error";
import type { Lane } from "./budget";
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

  // A small budget in one-second buckets whose slots come back 3 s after they were taken: time enough for every waiter
  // of a test to be on record before the first slot frees, even on a busy machine.
  const small = (db: TestStore["db"], perMinute: number) => createStoreBudget({ db: async () => db, perMinute, maxWaitMs: 20_000, windowMs: 2_000 });
  const startOfSecond = async () => {
    while (Date.now() % 1_000 > 100) await new Promise((r) => setTimeout(r, 10));
  };
  // A second instance: its own pool on PostgreSQL; SQLite serves one instance, through one connection.
  const second = () => (kind === "postgres" ? store.reopen() : store.db);
  const waiters = async () =>
    Number(
      (
        await store.db
          .selectFrom("upstream_budget_waiters")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.skipIf(skip)("fair share across two instances: B's one request is served before A's queued burst of 50", async () => {
    const a = small(store.db, 3);
    const b = small(second(), 3);
    await startOfSecond();
    const stop = new AbortController();
    const grants: string[] = [];
    const burst = Array.from({ length: 50 }, (_, i) =>
      a.acquire({ deadline: Date.now() + 20_000, lane: "interactive", who: "a", signal: stop.signal }).then(() => grants.push(`a${i}`)),
    );
    while ((await waiters()) < 47) await new Promise((r) => setTimeout(r, 10));
    const before = grants.length;
    await b.acquire({ deadline: Date.now() + 20_000, lane: "interactive", who: "b" }).then(() => grants.push("b"));
    // The first slot to free went to B, not to the 47 of A's that were waiting before it.
    expect(before).toBe(3);
    expect(grants.indexOf("b")).toBe(before);
    stop.abort(new Error("enough"));
    const results = await Promise.allSettled(burst);
    expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThan(40);
    // Callers who left took their place in the queue with them.
    expect(await waiters()).toBe(0);
  });

  it.skipIf(skip)("lanes across instances: page views before an export, and the export's reserved fifth slot", async () => {
    const one = small(store.db, 5);
    const two = small(second(), 5);
    await startOfSecond();
    await Promise.all(Array.from({ length: 5 }, () => one.acquire({ deadline: Date.now() + 5_000 })));
    const order: string[] = [];
    const wait = (budget: typeof one, lane: Lane, name: string, who: string) =>
      budget.acquire({ deadline: Date.now() + 20_000, lane, who }).then(() => order.push(name));
    const calls = [wait(two, "export", "ex", "x")];
    while ((await waiters()) < 1) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 6; i++) calls.push(wait(i % 2 ? one : two, "interactive", `i${i}`, `p${i % 3}`));
    while ((await waiters()) < 7) await new Promise((r) => setTimeout(r, 5));
    await Promise.all(calls);
    // Four page views, then the export's reserved fifth slot although it came first; the page views take turns by
    // person (three people, two requests each: each round serves all three).
    expect(order.indexOf("ex")).toBe(4);
    const people = order.filter((name) => name !== "ex").map((name) => Number(name.slice(1)) % 3);
    expect(new Set(people.slice(0, 3)).size).toBe(3);
    expect(new Set(people.slice(3)).size).toBe(3);
  });

  // The store-backed budget is the PostgreSQL one (one SQLite process keeps its budget in memory).
  it.skipIf(skip || kind !== "postgres")(
    "fails closed: a store that cannot be reached refuses with StoreUnavailableError (503), never lets the call through",
    async () => {
      {
        // Stopped: nothing listens where the store should be.
        const gone = createDb({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/portal", connectTimeoutMs: 500 });
        const budget = createStoreBudget({ db: async () => gone, perMinute: 100, maxWaitMs: 1_000 });
        const error = await budget.acquire({ deadline: Date.now() + 2_000 }).catch((e: unknown) => e);
        await gone.destroy();
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(errorResponse(error, "r1").status).toBe(503);
      }
      // Blocked: another session holds the budget's lock past the store's lock timeout.
      const guarded = createDb({ kind: "postgres", url: store.url ?? "", lockTimeoutMs: 300 });
      const budget = createStoreBudget({ db: async () => guarded, perMinute: 100, maxWaitMs: 1_000 });
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = withWriteTransaction(store.db, async (trx) => {
        await sql`select pg_advisory_xact_lock(727001)`.execute(trx);
        locked();
        await released;
      });
      await isLocked;
      const error = await budget.acquire({ deadline: Date.now() + 30_000 }).catch((e: unknown) => e);
      release();
      await holder;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(errorResponse(error, "r2").status).toBe(503);
      expect(
        Number(
          (
            await store.db
              .selectFrom("upstream_budget")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(0);
      // The store back: the same budget serves again.
      await expect(budget.acquire({ deadline: Date.now() + 2_000 })).resolves.toBeUndefined();
      await guarded.destroy();
    },
  );
});
