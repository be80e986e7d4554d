import "server-only";
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { withWriteTransaction, type Database } from "@/lib/db";
import { storeUnavailableIn } from "@/lib/db/errors";
import type { AcquireOptions, RateBudget } from "./budget";
import { DevdraftError } from "./errors";
import { type Candidate, type Lane, LANES, zeroPerLane, passedAfter, pickNext } from "./fair-share";

const BUCKET_MS = 1_000;
// Any number, as long as nothing else in the store uses it: serialises budget takes across instances.
const LOCK_KEY = 727_001;
// A waiter polls at least this often; one not seen for longer belongs to an instance that stopped (or crashed).
const POLL_MAX_MS = 250;
const WAITER_GONE_MS = 3_000;
// How soon a waiter looks again when a slot is free but the fair-share rule gave it to someone else.
const NOT_MY_TURN_MS = 50;

export type StoreBudgetOptions = {
  db: () => Promise<Kysely<Database>>;
  perMinute: number;
  maxWaitMs: number;
  /** As in the in-memory budget: a minute and a second, so no fixed minute of Devdraft's sees more. */
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

type Me = Candidate & { id: string };
type Take = { ok: true } | { ok: false; freeAt: number };

/**
 * The one upstream budget when several portal instances share a store: every send takes a slot in one-second
 * buckets of `upstream_budget`, under a lock, and counts while its bucket is in the window. A caller that cannot
 * have a slot at once waits in `upstream_budget_waiters`, so the fair-share rule (lanes, then people:
 * lib/devdraft/fair-share.ts) decides across every instance who gets the next one. When the store cannot be
 * reached the budget refuses (StoreUnavailableError, answered 503): it never lets calls through uncounted.
 */
export function createStoreBudget(options: StoreBudgetOptions): RateBudget {
  const { perMinute, maxWaitMs, windowMs = 61_000, now = Date.now } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let blockedUntil = 0;

  const store = async <T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
    try {
      return await work(await options.db());
    } catch (error) {
      throw storeUnavailableIn(error) ?? error;
    }
  };

  // Takes a slot if one is free and the fair-share rule gives it to `me`; otherwise `me` waits on record.
  function tryTake(me: Me, registered: boolean): Promise<Take> {
    return store((db) =>
      withWriteTransaction(db, async (trx, kind) => {
        if (kind === "postgres") await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
        const at = now();
        const horizon = at - windowMs - BUCKET_MS;
        const rows = await trx
          .selectFrom("upstream_budget")
          .select(["window_start", "used"])
          .where("window_start", ">", horizon)
          .orderBy("window_start")
          .execute();
        const used = rows.reduce((n, r) => n + Number(r.used), 0);
        const listed = await trx.selectFrom("upstream_budget_waiters").selectAll().where("id", "!=", me.id).execute();
        const gone = listed.filter((w) => Number(w.seen_at) < at - WAITER_GONE_MS).map((w) => w.id);
        if (gone.length > 0) await trx.deleteFrom("upstream_budget_waiters").where("id", "in", gone).execute();
        const others = listed.filter((w) => !gone.includes(w.id)).map((w) => ({ id: w.id, lane: laneOf(w.lane), who: w.who, seq: Number(w.since) }));
        // One order every instance agrees on, so that ties (same millisecond, same turn) pick the same waiter everywhere.
        const waiting = [...others, me].sort((x, y) => x.seq - y.seq || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
        // Nobody else waits (the common case): the slot is ours if free, and the lanes' counts are already 0.
        const subjects = others.length === 0 ? [] : [...LANES.map((lane) => `lane:${lane}`), ...new Set(waiting.map((w) => `who:${w.who}`))];
        const turns = new Map(
          subjects.length === 0
            ? []
            : (await trx.selectFrom("upstream_budget_turns").selectAll().where("subject", "in", subjects).execute()).map((t) => [t.subject, Number(t.value)]),
        );
        const passed = zeroPerLane();
        for (const lane of LANES) passed[lane] = turns.get(`lane:${lane}`) ?? 0;
        const lastServed = new Map(waiting.flatMap((w) => (turns.has(`who:${w.who}`) ? [[w.who, turns.get(`who:${w.who}`) ?? 0] as const] : [])));
        const free = used < perMinute;
        if (!free || pickNext(waiting, { passed, lastServed })?.id !== me.id) {
          await trx
            .insertInto("upstream_budget_waiters")
            .values({ id: me.id, lane: me.lane, who: me.who, since: me.seq, seen_at: at })
            .onConflict((oc) => oc.column("id").doUpdateSet({ seen_at: at }))
            .execute();
          return { ok: false, freeAt: free ? at : Number(rows[0]?.window_start ?? at) + windowMs + BUCKET_MS };
        }
        const bucket = Math.floor(at / BUCKET_MS) * BUCKET_MS;
        await trx
          .insertInto("upstream_budget")
          .values({ window_start: bucket, used: 1 })
          .onConflict((oc) => oc.column("window_start").doUpdateSet({ used: sql`upstream_budget.used + 1` }))
          .execute();
        await trx.deleteFrom("upstream_budget").where("window_start", "<=", horizon).execute();
        if (registered) await trx.deleteFrom("upstream_budget_waiters").where("id", "=", me.id).execute();
        const after = passedAfter(passed, me.lane, others);
        const changed = LANES.filter((lane) => after[lane] !== passed[lane]).map((lane) => ({ subject: `lane:${lane}`, value: after[lane] }));
        await setTurns(trx, [{ subject: `who:${me.who}`, value: at }, ...changed]);
        return { ok: true };
      }),
    );
  }

  const leave = (id: string) => store((db) => db.deleteFrom("upstream_budget_waiters").where("id", "=", id).execute()).catch(() => undefined);

  return {
    async acquire({ deadline, signal, lane = "background", who = "" }: AcquireOptions) {
      const limit = Math.min(now() + maxWaitMs, deadline);
      const me: Me = { id: randomUUID(), lane, who, seq: now() };
      let waited = false;
      try {
        for (;;) {
          if (signal?.aborted) throw signal.reason;
          const at = now();
          if (blockedUntil > at) {
            if (blockedUntil > limit) throw spent(blockedUntil - at);
            await sleep(blockedUntil - at);
            continue;
          }
          const taken = await tryTake(me, waited);
          if (taken.ok) return;
          waited = true;
          const left = now();
          // A slot is free but another's turn: it is not spent, only shared; past the limit the caller is told so.
          if (taken.freeAt > limit || left >= limit) throw spent(Math.max(taken.freeAt - left, windowMs / perMinute));
          await sleep(taken.freeAt <= left ? NOT_MY_TURN_MS : Math.min(POLL_MAX_MS, Math.max(10, taken.freeAt - left)));
        }
      } catch (error) {
        if (waited) await leave(me.id);
        throw error;
      }
    },
    penalize(retryAfterMs) {
      blockedUntil = Math.max(blockedUntil, now() + Math.max(0, retryAfterMs));
    },
    async available() {
      const at = now();
      if (blockedUntil > at) return 0;
      const rows = await store((db) =>
        db
          .selectFrom("upstream_budget")
          .select("used")
          .where("window_start", ">", at - windowMs - BUCKET_MS)
          .execute(),
      );
      return Math.max(0, perMinute - rows.reduce((n, r) => n + Number(r.used), 0));
    },
    async queued() {
      const rows = await store((db) =>
        db
          .selectFrom("upstream_budget_waiters")
          .select(["lane", (eb) => eb.fn.countAll<number>().as("n")])
          .where("seen_at", ">=", now() - WAITER_GONE_MS)
          .groupBy("lane")
          .execute(),
      );
      const counts = zeroPerLane();
      for (const row of rows) counts[laneOf(row.lane)] += Number(row.n);
      return counts;
    },
  };
}

function setTurns(trx: Kysely<Database>, turns: { subject: string; value: number }[]) {
  return trx
    .insertInto("upstream_budget_turns")
    .values(turns)
    .onConflict((oc) => oc.column("subject").doUpdateSet({ value: (eb) => eb.ref("excluded.value") }))
    .execute();
}

function laneOf(value: string): Lane {
  return LANES.find((lane) => lane === value) ?? "background";
}

function spent(retryAfterMs: number): DevdraftError {
  return new DevdraftError("rate_limited", { detail: "the portal's Devdraft budget is spent", retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)) });
}
