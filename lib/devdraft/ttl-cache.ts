import "server-only";

/** An answer from the cache, with when Devdraft gave it (epoch ms). */
export type Cached<V> = { value: V; storedAt: number };

export type TtlCache<V> = {
  /** The answer while it is fresh (younger than the TTL). */
  get(key: string): Cached<V> | undefined;
  set(key: string, value: V): void;
  /** The last answer, fresh or not, while it is younger than `staleMs`: what is served when Devdraft is out. */
  stale(key: string): Cached<V> | undefined;
};

export type TtlCacheOptions = { ttlMs: number; maxEntries: number; now: () => number; /** 0: nothing kept past the TTL. */ staleMs?: number };

/**
 * A small LRU with expiry: a Map keeps insertion order, so re-inserting on read marks recent use. An entry is fresh for
 * `ttlMs` and kept for `staleMs` (when longer) so that an outage can be answered with it, marked as of its time.
 */
export function createTtlCache<V>({ ttlMs, maxEntries, now, staleMs = 0 }: TtlCacheOptions): TtlCache<V> {
  const entries = new Map<string, Cached<V>>();
  const keepMs = Math.max(ttlMs, staleMs);
  const find = (key: string, maxAgeMs: number): Cached<V> | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    const age = now() - entry.storedAt;
    if (age >= keepMs) entries.delete(key);
    if (age >= maxAgeMs) return undefined;
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  };
  return {
    get: (key) => find(key, ttlMs),
    stale: (key) => find(key, staleMs),
    set(key, value) {
      if (keepMs <= 0) return;
      entries.delete(key);
      entries.set(key, { value, storedAt: now() });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
  };
}
