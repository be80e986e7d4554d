import "server-only";

export type TtlCache<V> = {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
};

/** A small LRU with expiry: a Map keeps insertion order, so re-inserting on read marks recent use. */
export function createTtlCache<V>({ ttlMs, maxEntries, now }: { ttlMs: number; maxEntries: number; now: () => number }): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      if (ttlMs <= 0) return;
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
  };
}
