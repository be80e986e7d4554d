import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateBudget, type Lane } from "./budget";
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
    const calls = Array.from({ length: 3 * N }, () => budget.acquire({ deadline: Date.now() + 10 * MINUTE }).then(() => granted.push(Date.now())));
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

  it("serves one person's waiting calls in arrival order", async () => {
    const budget = createRateBudget({ perMinute: 2, maxWaitMs: 10 * MINUTE });
    const order: number[] = [];
    const calls = Array.from({ length: 6 }, (_, i) =>
      budget.acquire({ deadline: Date.now() + 10 * MINUTE, lane: "interactive", who: "a" }).then(() => order.push(i)),
    );
    await vi.advanceTimersByTimeAsync(4 * MINUTE);
    await Promise.all(calls);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("fair share: person B's one request is served within two slots of arriving behind A's burst of 50", async () => {
    const budget = createRateBudget({ perMinute: 5, maxWaitMs: 60 * MINUTE });
    const deadline = Date.now() + 60 * MINUTE;
    const order: string[] = [];
    const burst = Array.from({ length: 50 }, (_, i) => budget.acquire({ deadline, lane: "interactive", who: "a" }).then(() => order.push(`a${i}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toHaveLength(5);
    const b = budget.acquire({ deadline, lane: "interactive", who: "b" }).then(() => order.push("b"));
    const grantedBefore = order.length;
    await vi.advanceTimersByTimeAsync(61_000);
    await b;
    // The next slot that frees goes to B, not to A's 45 queued requests.
    expect(order.indexOf("b") - grantedBefore).toBeLessThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    await Promise.all(burst);
    expect(order.filter((o) => o.startsWith("a"))).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
  });

  it("a person alone gets the whole budget", async () => {
    const budget = createRateBudget({ perMinute: 10, maxWaitMs: MINUTE });
    const calls = Array.from({ length: 10 }, () => budget.acquire({ deadline: Date.now() + MINUTE, lane: "interactive", who: "a" }));
    await vi.advanceTimersByTimeAsync(0);
    await expect(Promise.all(calls)).resolves.toHaveLength(10);
  });

  it("lanes: interactive before export before background, each lane keeping its reserved share", async () => {
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 60 * MINUTE });
    const deadline = Date.now() + 60 * MINUTE;
    await budget.acquire({ deadline });
    const order: string[] = [];
    const wait = (lane: Lane, name: string, who = name) => budget.acquire({ deadline, lane, who }).then(() => order.push(name));
    // Queued lowest lane first, so arrival order is the opposite of the lanes' order.
    const calls = [
      wait("background", "bg"),
      wait("export", "ex1", "ex"),
      wait("export", "ex2", "ex"),
      ...Array.from({ length: 12 }, (_, i) => wait("interactive", `i${i}`, `p${i % 3}`)),
    ];
    await vi.advanceTimersByTimeAsync(20 * 61_000);
    await Promise.all(calls);
    // Four interactive slots, then the export's reserved fifth; background after nine slots passed it by.
    expect(order).toEqual(["i0", "i1", "i2", "i3", "ex1", "i4", "i5", "i6", "i7", "bg", "ex2", "i8", "i9", "i10", "i11"]);
  });

  it("a lower lane gets every slot while the higher lanes are empty", async () => {
    const budget = createRateBudget({ perMinute: 3, maxWaitMs: MINUTE });
    const calls = [budget.acquire({ deadline: Date.now() + MINUTE, lane: "background" }), budget.acquire({ deadline: Date.now() + MINUTE, lane: "export" })];
    await vi.advanceTimersByTimeAsync(0);
    await expect(Promise.all(calls)).resolves.toHaveLength(2);
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

describe("available and queued (the metrics gauges)", () => {
  it("counts the callers waiting in each lane", async () => {
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 10 * MINUTE });
    const deadline = Date.now() + 10 * MINUTE;
    await budget.acquire({ deadline });
    const waiting = [budget.acquire({ deadline, lane: "export" }), budget.acquire({ deadline, lane: "export" })];
    expect(await budget.queued?.()).toEqual({ interactive: 0, export: 2, background: 0 });
    await vi.advanceTimersByTimeAsync(2 * 61_000);
    await Promise.all(waiting);
    expect(await budget.queued?.()).toEqual({ interactive: 0, export: 0, background: 0 });
  });

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
