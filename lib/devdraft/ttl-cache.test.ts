import { describe, expect, it } from "vitest";
import { createTtlCache } from "./ttl-cache";

describe("createTtlCache", () => {
  it("evicts the least recently used entry beyond its bound", () => {
    let clock = 0;
    const cache = createTtlCache<number>({ ttlMs: 1_000, maxEntries: 2, now: () => clock });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    clock = 1_000;
    expect(cache.get("a")).toBeUndefined();
  });

  it("stores nothing when the TTL is 0", () => {
    const cache = createTtlCache<number>({ ttlMs: 0, maxEntries: 2, now: () => 0 });
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
  });
});
