import "server-only";
import { DevdraftError } from "./errors";
import { type Candidate, type Lane, LANES, zeroPerLane, passedAfter, pickNext, serviceOrder } from "./fair-share";

export type { Lane } from "./fair-share";

export type AcquireOptions = {
  /** Absolute time (same clock as `now`) after which the caller has no use for a slot. */
  deadline: number;
  signal?: AbortSignal;
  /** Which lane waits (lib/devdraft/fair-share.ts); anything not named is `background`. */
  lane?: Lane;
  /** Whose request: a staff id (an API token's owner); slots are shared between people when contended. */
  who?: string;
};

/** The portal's one allowance of upstream requests; a PostgreSQL-backed one can replace it. */
export interface RateBudget {
  acquire(options: AcquireOptions): Promise<void>;
  /** Devdraft said 429 anyway: send nothing before `retryAfterMs` from now. */
  penalize(retryAfterMs: number): void;
  /** Slots free right now (0 while a 429 penalty holds); read by the metrics scrape, never on the request path. */
  available?(): Promise<number>;
  /** Callers waiting for a slot, by lane; read by the metrics scrape. */
  queued?(): Promise<Record<Lane, number>>;
}

export type RateBudgetOptions = {
  perMinute: number;
  maxWaitMs: number;
  /**
   * Devdraft counts arrivals in fixed minutes; latency can shift our send times against its
   * clock, so the window is a second longer than a minute to keep any fixed minute within limit.
   */
  windowMs?: number;
  now?: () => number;
};

type Waiter = Candidate & {
  deadline: number;
  limit: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  detach: () => void;
};

/**
 * A sliding-window log: at most `perMinute` sends in any window. Waiting callers are served by lane and shared
 * between people (lib/devdraft/fair-share.ts), not first come, first served.
 */
export function createRateBudget({ perMinute, maxWaitMs, windowMs = 61_000, now = Date.now }: RateBudgetOptions): RateBudget {
  const sends: number[] = [];
  // In arrival order; who goes next is the fair-share rule's choice.
  const queue: Waiter[] = [];
  const share = { passed: zeroPerLane(), lastServed: new Map<string, number>() };
  let turn = 0;
  let arrivals = 0;
  let blockedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // When each of the first `count` queued callers would get a slot if nobody else arrived.
  const etas = (count: number): number[] => {
    const log = sends.slice(-perMinute);
    const times: number[] = [];
    let at = Math.max(now(), blockedUntil);
    for (let i = 0; i < count; i++) {
      const oldest = log.length >= perMinute ? log[log.length - perMinute] : undefined;
      at = oldest === undefined ? at : Math.max(at, oldest + windowMs);
      times.push(at);
      log.push(at);
    }
    return times;
  };

  const rejectWaiter = (waiter: Waiter, eta: number) => {
    waiter.detach();
    const at = now();
    // Past its own deadline (its timer fired late on a busy event loop) the caller ran out of time: saying the
    // budget is spent, with no delay to wait, would be a 429 without a Retry-After for a budget with slots free.
    if (at >= waiter.deadline) {
      waiter.reject(new DevdraftError("timeout", { detail: "deadline passed while waiting for the budget" }));
      return;
    }
    waiter.reject(
      new DevdraftError("rate_limited", {
        detail: "the portal's Devdraft budget is spent",
        retryAfterMs: Math.max(1, Math.ceil(eta - at)),
      }),
    );
  };

  // Fail fast whoever can no longer be served in time, rather than let them wait to fail.
  const rejectHopeless = () => {
    const times = etas(queue.length);
    const hopeless = serviceOrder(queue, share, turn).flatMap((waiter, i) => {
      const eta = times[i] ?? Infinity;
      return eta > waiter.limit ? [{ waiter, eta }] : [];
    });
    for (const { waiter, eta } of hopeless) rejectWaiter(waiter, eta);
  };

  const pump = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    for (let head = pickNext(queue, share); head !== undefined; head = pickNext(queue, share)) {
      const [eta = Infinity] = etas(1);
      const at = now();
      if (eta > at) {
        timer = setTimeout(pump, eta - at);
        return;
      }
      if (at > head.limit) {
        rejectWaiter(head, eta);
        continue;
      }
      head.detach();
      share.passed = passedAfter(share.passed, head.lane, queue);
      share.lastServed.set(head.who, ++turn);
      sends.push(at);
      if (sends.length > perMinute) sends.splice(0, sends.length - perMinute);
      head.resolve();
    }
  };

  return {
    acquire({ deadline, signal, lane = "background", who = "" }) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          waiter.detach();
          reject(signal?.reason);
          pump();
        };
        const waiter: Waiter = {
          lane,
          who,
          seq: arrivals++,
          deadline,
          limit: Math.min(now() + maxWaitMs, deadline),
          resolve,
          reject,
          detach: () => {
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            signal?.removeEventListener("abort", onAbort);
          },
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(waiter);
        rejectHopeless();
        pump();
      });
    },
    penalize(retryAfterMs) {
      blockedUntil = Math.max(blockedUntil, now() + Math.max(0, retryAfterMs));
      rejectHopeless();
      pump();
    },
    async available() {
      const at = now();
      if (blockedUntil > at) return 0;
      return Math.max(0, perMinute - sends.filter((sent) => sent > at - windowMs).length - queue.length);
    },
    async queued() {
      return Object.fromEntries(LANES.map((lane) => [lane, queue.filter((w) => w.lane === lane).length])) as Record<Lane, number>;
    },
  };
}
