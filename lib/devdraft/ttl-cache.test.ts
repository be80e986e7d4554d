import { describe, expect, it } from "vitest";
import { createTtlCache } from "./ttl-cache";

describe("createTtlCache", () => {
  it("evicts the least recently used entry beyond its bound", () => {
    let clock = 0;
    const cache = createTtlCache<number>({ ttlMs: 1_000, maxEntries: 2, now: () => clock });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")?.value).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.value).toBe(1);
    expect(cache.get("c")?.value).toBe(3);
    clock = 1_000;
    expect(cache.get("a")).toBeUndefined();
  });

  it("stores nothing when the TTL and the stale bound are 0", () => {
    const cache = createTtlCache<number>({ ttlMs: 0, maxEntries: 2, now: () => 0 });
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.stale("a")).toBeUndefined();
  });

  it("keeps the last answer past its TTL for serving stale, with its time, up to the stale bound", () => {
    let clock = 5_000;
    const cache = createTtlCache<string>({ ttlMs: 1_000, staleMs: 300_000, maxEntries: 2, now: () => clock });
    cache.set("q", "rows");
    clock += 1_000;
    expect(cache.get("q")).toBeUndefined();
    expect(cache.stale("q")).toEqual({ value: "rows", storedAt: 5_000 });
    clock = 5_000 + 299_999;
    expect(cache.stale("q")?.storedAt).toBe(5_000);
    clock = 5_000 + 300_000;
    expect(cache.stale("q")).toBeUndefined();
    // Gone for good, not only hidden.
    clock = 5_000;
    expect(cache.stale("q")).toBeUndefined();
  });

  it("with the cache off (TTL 0) still keeps answers for an outage, never serving them as fresh", () => {
    let clock = 0;
    const cache = createTtlCache<string>({ ttlMs: 0, staleMs: 60_000, maxEntries: 2, now: () => clock });
    cache.set("q", "rows");
    expect(cache.get("q")).toBeUndefined();
    clock = 59_000;
    expect(cache.stale("q")?.value).toBe("rows");
  });
});
