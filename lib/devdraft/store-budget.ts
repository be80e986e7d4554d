import "server-only";
import { sql, type Kysely } from "kysely";
import { withWriteTransaction, type Database } from "@/lib/db";
import type { AcquireOptions, RateBudget } from "./budget";
import { DevdraftError } from "./errors";

const BUCKET_MS = 1_000;
// Any number, as long as nothing else in the store uses it: serialises budget takes across instances.
const LOCK_KEY = 727_001;

export type StoreBudgetOptions = {
  db: () => Promise<Kysely<Database>>;
  perMinute: number;
  maxWaitMs: number;
  /** As in the in-memory budget: a minute and a second, so no fixed minute of Devdraft's sees more. */
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * The one upstream budget when several portal instances share a store: every send takes a slot in
 * one-second buckets of `upstream_budget`, under a lock, and counts while its bucket is in the window.
 */
export function createStoreBudget(options: StoreBudgetOptions): RateBudget {
  const { perMinute, maxWaitMs, windowMs = 61_000, now = Date.now } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let blockedUntil = 0;

  // Takes a slot if one is free; otherwise says when the oldest counted bucket leaves the window.
  async function tryTake(): Promise<{ ok: true } | { ok: false; freeAt: number }> {
    const db = await options.db();
    return withWriteTransaction(db, async (trx, kind) => {
      if (kind === "postgres") await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
      const at = now();
      const horizon = at - windowMs - BUCKET_MS;
      const rows = await trx.selectFrom("upstream_budget").select(["window_start", "used"]).where("window_start", ">", horizon).orderBy("window_start").execute();
      const used = rows.reduce((n, r) => n + Number(r.used), 0);
      if (used >= perMinute) {
        const oldest = Number(rows[0]?.window_start ?? at);
        return { ok: false, freeAt: oldest + windowMs + BUCKET_MS };
      }
      const bucket = Math.floor(at / BUCKET_MS) * BUCKET_MS;
      await trx
        .insertInto("upstream_budget")
        .values({ window_start: bucket, used: 1 })
        .onConflict((oc) => oc.column("window_start").doUpdateSet({ used: sql`upstream_budget.used + 1` }))
        .execute();
      await trx.deleteFrom("upstream_budget").where("window_start", "<=", horizon).execute();
      return { ok: true };
    });
  }

  return {
    async acquire({ deadline, signal }: AcquireOptions) {
      const limit = Math.min(now() + maxWaitMs, deadline);
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        const at = now();
        if (blockedUntil > at) {
          if (blockedUntil > limit) throw spent(blockedUntil - at);
          await sleep(blockedUntil - at);
          continue;
        }
        const taken = await tryTake();
        if (taken.ok) return;
        if (taken.freeAt > limit) throw spent(taken.freeAt - now());
        await sleep(Math.min(250, Math.max(10, taken.freeAt - now())));
      }
    },
    penalize(retryAfterMs) {
      blockedUntil = Math.max(blockedUntil, now() + Math.max(0, retryAfterMs));
    },
    async available() {
      const at = now();
      if (blockedUntil > at) return 0;
      const db = await options.db();
      const rows = await db.selectFrom("upstream_budget").select("used").where("window_start", ">", at - windowMs - BUCKET_MS).execute();
      return Math.max(0, perMinute - rows.reduce((n, r) => n + Number(r.used), 0));
    },
  };
}

function spent(retryAfterMs: number): DevdraftError {
  return new DevdraftError("rate_limited", { detail: "the portal's Devdraft budget is spent", retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)) });
}
