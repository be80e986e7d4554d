import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { releaseAttempt, reserveAttempt, THROTTLE_POLICY, THROTTLE_WINDOW_MS, waitMs } from "./throttle";

const NOW = Date.parse("2026-12-02T10:00:00.000Z");

describe("waitMs", () => {
  it("lets the free failures through, then doubles the wait after each further one, up to the cap", () => {
    const last = NOW;
    expect(waitMs("pair", 4, last, NOW)).toBe(0);
    expect(waitMs("pair", 5, last, NOW)).toBe(30_000);
    expect(waitMs("pair", 6, last, NOW)).toBe(60_000);
    expect(waitMs("pair", 7, last, NOW + 100_000)).toBe(20_000);
    expect(waitMs("pair", 40, last, NOW)).toBe(THROTTLE_WINDOW_MS);
    expect(waitMs("account", 500, last, NOW)).toBe(THROTTLE_POLICY.account.maxMs);
  });
});

describe.each(STORE_KINDS)("sign-in throttle on $kind", ({ kind, skip }) => {
  let store: TestStore;
  beforeEach(async () => {
    if (!skip) store = await openTestStore(kind);
  });
  afterEach(async () => {
    if (!skip) await store.cleanup();
  });

  const rows = async (key: string) =>
    Number(
      (
        await store.db
          .selectFrom("login_attempts")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("key", "=", key)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.skipIf(skip)("counts 50 parallel guesses exactly: the free five are tried, the other 45 wait", async () => {
    // PostgreSQL: two pools racing. SQLite: one process has one writer connection (a second one in the same thread
    // would block it); other processes wait on busy_timeout behind BEGIN IMMEDIATE.
    const other = kind === "postgres" ? store.reopen() : store.db;
    try {
      const guesses = Array.from({ length: 50 }, (_, i) => reserveAttempt(i % 2 ? other : store.db, "victim@x.io", "203.0.113.7", NOW));
      const results = await Promise.all(guesses);
      expect(results.filter((r) => r.ok)).toHaveLength(THROTTLE_POLICY.pair.free);
      for (const r of results) if (!r.ok) expect(r.retryAfterMs).toBe(THROTTLE_POLICY.pair.baseMs);
      expect(await rows("pair:victim@x.io|203.0.113.7")).toBe(THROTTLE_POLICY.pair.free);
    } finally {
      if (other !== store.db) await other.destroy();
    }
  });

  it.skipIf(skip)("grows the wait instead of locking out: each allowed guess past the free ones doubles the next wait", async () => {
    let now = NOW;
    for (let i = 0; i < THROTTLE_POLICY.pair.free; i++) expect((await reserveAttempt(store.db, "v@x.io", "198.51.100.1", now)).ok).toBe(true);
    expect(await reserveAttempt(store.db, "v@x.io", "198.51.100.1", now)).toEqual({ ok: false, retryAfterMs: 30_000 });
    now += 30_000;
    expect((await reserveAttempt(store.db, "v@x.io", "198.51.100.1", now)).ok).toBe(true);
    expect(await reserveAttempt(store.db, "v@x.io", "198.51.100.1", now + 59_000)).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect((await reserveAttempt(store.db, "v@x.io", "198.51.100.1", now + 60_000)).ok).toBe(true);
    // Another address is not slowed by this one's guessing.
    expect((await reserveAttempt(store.db, "v@x.io", "192.0.2.44", now + 60_000)).ok).toBe(true);
  });

  it.skipIf(skip)("a stranger guessing from many addresses slows the owner's sign-in by at most a minute, never freezes it", async () => {
    for (let i = 0; i < 200; i++) await reserveAttempt(store.db, "owner@x.io", `10.1.${Math.floor(i / 250)}.${i % 250}`, NOW);
    const blocked = await reserveAttempt(store.db, "owner@x.io", "192.0.2.10", NOW);
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.retryAfterMs).toBeLessThanOrEqual(THROTTLE_POLICY.account.maxMs);
    expect((await reserveAttempt(store.db, "owner@x.io", "192.0.2.10", NOW + THROTTLE_POLICY.account.maxMs)).ok).toBe(true);
  });

  it.skipIf(skip)("slows one address trying many accounts", async () => {
    for (let i = 0; i < THROTTLE_POLICY.address.free; i++) expect((await reserveAttempt(store.db, `u${i}@x.io`, "203.0.113.99", NOW)).ok).toBe(true);
    expect((await reserveAttempt(store.db, "fresh@x.io", "203.0.113.99", NOW)).ok).toBe(false);
  });

  it.skipIf(skip)("a success takes its reservation back and forgives its pair's failures, not other addresses'", async () => {
    for (let i = 0; i < 3; i++) await reserveAttempt(store.db, "s@x.io", "198.51.100.2", NOW);
    await reserveAttempt(store.db, "s@x.io", "198.51.100.3", NOW);
    const ok = await reserveAttempt(store.db, "s@x.io", "198.51.100.2", NOW);
    if (!ok.ok) throw new Error("expected a reservation");
    await releaseAttempt(store.db, ok.attemptId, "s@x.io", "198.51.100.2");
    expect(await rows("pair:s@x.io|198.51.100.2")).toBe(0);
    expect(await rows("pair:s@x.io|198.51.100.3")).toBe(1);
    expect(await rows("email:s@x.io")).toBe(4);
  });

  it.skipIf(skip)("forgets failures older than the window", async () => {
    for (let i = 0; i < THROTTLE_POLICY.pair.free; i++) await reserveAttempt(store.db, "o@x.io", "198.51.100.4", NOW);
    expect((await reserveAttempt(store.db, "o@x.io", "198.51.100.4", NOW + THROTTLE_WINDOW_MS + 1)).ok).toBe(true);
    expect(await rows("pair:o@x.io|198.51.100.4")).toBe(1);
  });
});
