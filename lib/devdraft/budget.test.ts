import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateBudget } from "./budget";
import { DevdraftError } from "./errors";

const N = 10;
const MINUTE = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const maxInAnyWindow = (times: number[], windowMs: number) =>
  Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));

describe("createRateBudget", () => {
  it("never sends more than N in any 60 s window under a burst of 3N callers", async () => {
    const budget = createRateBudget({ perMinute: N, maxWaitMs: 10 * MINUTE });
    const granted: number[] = [];
    const calls = Array.from({ length: 3 * N }, () =>
      budget.acquire({ deadline: Date.now() + 10 * MINUTE }).then(() => granted.push(Date.now())),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(N);
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    await Promise.all(calls);
    expect(granted).toHaveLength(3 * N);
    expect(maxInAnyWindow(granted, MINUTE)).toBeLessThanOrEqual(N);
    // Any fixed minute Devdraft might count, whatever its alignment.
    for (let offset = 0; offset < MINUTE; offset += 997) {
      const buckets = new Map<number, number>();
      for (const t of granted) {
        const bucket = Math.floor((t + offset) / MINUTE);
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      }
      expect(Math.max(...buckets.values())).toBeLessThanOrEqual(N);
    }
  });

  it("serves waiting callers first come, first served", async () => {
    const budget = createRateBudget({ perMinute: 2, maxWaitMs: 10 * MINUTE });
    const order: number[] = [];
    const calls = Array.from({ length: 6 }, (_, i) =>
      budget.acquire({ deadline: Date.now() + 10 * MINUTE }).then(() => order.push(i)),
    );
    await vi.advanceTimersByTimeAsync(4 * MINUTE);
    await Promise.all(calls);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("lets a higher priority pass the queue but keeps FIFO within a priority", async () => {
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 10 * MINUTE });
    const order: string[] = [];
    const deadline = Date.now() + 10 * MINUTE;
    const calls = [
      budget.acquire({ deadline }).then(() => order.push("a")),
      budget.acquire({ deadline }).then(() => order.push("b")),
      budget.acquire({ deadline }).then(() => order.push("c")),
      budget.acquire({ deadline, priority: 1 }).then(() => order.push("urgent")),
    ];
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    await Promise.all(calls);
    expect(order).toEqual(["a", "urgent", "b", "c"]);
  });

  it("rejects at once with retryAfterMs when the wait would exceed maxWait", async () => {
    const budget = createRateBudget({ perMinute: 2, maxWaitMs: 5_000 });
    await budget.acquire({ deadline: Date.now() + MINUTE });
    vi.advanceTimersByTime(1_000);
    await budget.acquire({ deadline: Date.now() + MINUTE });
    const error = await budget.acquire({ deadline: Date.now() + MINUTE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevdraftError);
    expect(error).toMatchObject({ kind: "rate_limited", status: 429 });
    // The first send leaves the (61 s) window 60 s after this moment.
    expect(error).toHaveProperty("retryAfterMs", 60_000);
  });

  it("rejects when the caller's deadline comes before a slot", async () => {
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 10 * MINUTE });
    await budget.acquire({ deadline: Date.now() + MINUTE });
    await expect(budget.acquire({ deadline: Date.now() + 2_000 })).rejects.toMatchObject({ kind: "rate_limited" });
  });

  it("a caller already past its deadline, with slots free, ran out of time: a timeout, not a spent budget", async () => {
    const budget = createRateBudget({ perMinute: 100, maxWaitMs: MINUTE });
    await expect(budget.acquire({ deadline: Date.now() - 1 })).rejects.toMatchObject({ kind: "timeout", status: 504 });
    // The budget was not spent by it: the next caller in time gets a slot at once.
    await expect(budget.acquire({ deadline: Date.now() + 1_000 })).resolves.toBeUndefined();
  });

  it("blocks every send until a penalty from Devdraft's 429 is over", async () => {
    const budget = createRateBudget({ perMinute: 100, maxWaitMs: MINUTE });
    const start = Date.now();
    budget.penalize(3_000);
    let grantedAt = 0;
    const call = budget.acquire({ deadline: start + MINUTE }).then(() => {
      grantedAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(grantedAt).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await call;
    expect(grantedAt).toBe(start + 3_000);
  });

  it("fails waiters fast when a penalty pushes them past their limit", async () => {
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 10 * MINUTE });
    await budget.acquire({ deadline: Date.now() + MINUTE });
    const waiting = budget.acquire({ deadline: Date.now() + 2 * MINUTE }).catch((e: unknown) => e);
    budget.penalize(5 * MINUTE);
    const error = await waiting;
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 5 * MINUTE });
  });

  it("drops an aborted waiter without losing anyone else's place", async () => {
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 10 * MINUTE });
    await budget.acquire({ deadline: Date.now() + 10 * MINUTE });
    const controller = new AbortController();
    const aborted = budget.acquire({ deadline: Date.now() + 10 * MINUTE, signal: controller.signal }).catch((e: unknown) => e);
    const next = budget.acquire({ deadline: Date.now() + 10 * MINUTE });
    controller.abort(new Error("left"));
    expect(await aborted).toHaveProperty("message", "left");
    await vi.advanceTimersByTimeAsync(61_000);
    await expect(next).resolves.toBeUndefined();
  });
});

describe("available (the metrics gauge)", () => {
  it("counts the slots free in the window, and none while a 429 penalty holds", async () => {
    const budget = createRateBudget({ perMinute: 3, maxWaitMs: 1_000 });
    expect(await budget.available?.()).toBe(3);
    await budget.acquire({ deadline: Date.now() + 1_000 });
    expect(await budget.available?.()).toBe(2);
    budget.penalize(5_000);
    expect(await budget.available?.()).toBe(0);
    vi.advanceTimersByTime(61_001);
    expect(await budget.available?.()).toBe(3);
  });
});
