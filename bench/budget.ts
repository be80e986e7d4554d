// The shared upstream budget on a real PostgreSQL (TEST_DATABASE_URL): what one slot costs (median and p99 per take,
// uncontended, with 1 and 8 concurrent callers) and how long person B waits behind person A's burst of 50 when the
// budget is spent (two pools, as two instances). `BUDGET_BEFORE=<file>` (another store-budget.ts, e.g. main's, copied
// into lib/devdraft) measures it side by side in the same run.
//   node --conditions=react-server --import tsx bench/budget.ts
import { resolve } from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db";
import { openTestStore } from "@/test/support/stores";
import { createRateBudget, type RateBudget } from "@/lib/devdraft/budget";
import { createStoreBudget, type StoreBudgetOptions } from "@/lib/devdraft/store-budget";
import { median, percentile, runBench, say, table } from "./harness";

type Make = (options: StoreBudgetOptions) => RateBudget;
const TAKES = 400;
const BURST = 50;

async function reset(db: Kysely<Database>) {
  for (const t of ["upstream_budget", "upstream_budget_waiters", "upstream_budget_turns"] as const) await db.deleteFrom(t).execute();
}

async function takes(budget: RateBudget, clients: number): Promise<number[]> {
  const ms: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < TAKES / clients; i++) {
        const started = performance.now();
        await budget.acquire({ deadline: Date.now() + 10_000, lane: "interactive", who: `p${i % 4}` });
        ms.push(performance.now() - started);
      }
    }),
  );
  return ms;
}

/** Slots that went to A between B's arrival and B's slot (B alone would wait 0); null when B was not served in 10 s. */
async function behindBurst(make: Make, a: Kysely<Database>, b: Kysely<Database>): Promise<number | null> {
  await reset(a);
  const options = { perMinute: 3, maxWaitMs: 30_000, windowMs: 0 };
  const one = make({ ...options, db: async () => a });
  const two = make({ ...options, db: async () => b });
  const stop = new AbortController();
  const grants: string[] = [];
  const burst = Array.from({ length: BURST }, () =>
    one.acquire({ deadline: Date.now() + 30_000, lane: "interactive", who: "a", signal: stop.signal }).then(() => grants.push("a")),
  );
  await new Promise((r) => setTimeout(r, 300));
  const arrived = grants.length;
  const served = await Promise.race([
    two.acquire({ deadline: Date.now() + 10_000, lane: "interactive", who: "b", signal: stop.signal }).then(() => grants.push("b")),
    new Promise((r) => setTimeout(() => r(null), 10_000)),
  ]);
  stop.abort(new Error("done"));
  await Promise.allSettled(burst);
  return served === null ? null : grants.indexOf("b") - arrived;
}

runBench(async () => {
  const store = await openTestStore("postgres");
  const second = store.reopen();
  try {
    const impls: [string, Make][] = [["now", createStoreBudget]];
    const before = process.env.BUDGET_BEFORE;
    if (before) impls.unshift(["before", ((await import(resolve(before))) as { createStoreBudget: Make }).createStoreBudget]);
    const rows: (string | number)[][] = [];
    for (const [name, make] of impls) {
      for (const clients of [1, 8]) {
        await reset(store.db);
        const budget = make({ db: async () => store.db, perMinute: 1_000_000, maxWaitMs: 5_000 });
        await takes(budget, clients);
        const ms = await takes(budget, clients);
        rows.push([name, `PostgreSQL, ${clients} caller${clients > 1 ? "s" : ""}`, median(ms).toFixed(2), percentile(ms, 99).toFixed(2)]);
      }
    }
    const memory = await takes(createRateBudget({ perMinute: 1_000_000, maxWaitMs: 5_000 }), 1);
    rows.push(["now", "in memory (SQLite), 1 caller", median(memory).toFixed(3), percentile(memory, 99).toFixed(3)]);
    say();
    say(`One budget slot, uncontended: ${TAKES} takes after ${TAKES} to warm up (ms)`);
    say(table(["budget", "store", "median", "p99"], rows));
    say();
    say(`Person B's one request behind person A's burst of ${BURST} (3 slots a second, two pools): A's slots before B's`);
    const fair: (string | number)[][] = [];
    for (const [name, make] of impls) {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await behindBurst(make, store.db, second));
      fair.push([name, runs.map((r) => (r === null ? "not served in 10 s" : String(r))).join(" / ")]);
    }
    say(table(["budget", "A's slots before B's (3 runs)"], fair));
  } finally {
    await store.cleanup();
  }
});
