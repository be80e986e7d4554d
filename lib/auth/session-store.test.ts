import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import {
  createSession,
  END_REASONS,
  endSession,
  endStaffSessions,
  findSessionWithStaff,
  hashSessionToken,
  idleDeadline,
  isFreshSignIn,
  listOpenSessions,
  markAuthenticated,
  sessionEnd,
  touchSession,
} from "./session-store";
import { addStaff, setStaffDisabled } from "./staff-store";

const POLICY = { idleMs: 15 * 60_000, maxMs: 8 * 3_600_000, stepUpMs: 10 * 60_000 };
const T0 = new Date("2026-12-02T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const ORIGIN = { provider: "credentials", clientAddress: "10.0.0.7", userAgent: "test" };

describe.each(STORE_KINDS)("server-side sessions on $kind", ({ kind, skip }) => {
  let store: TestStore;
  let staffId: string;
  beforeEach(async () => {
    if (skip) return;
    store = await openTestStore(kind);
    staffId = (await addStaff(store.db, { email: "sam@example.com", role: "agent" })).id;
  });
  afterEach(async () => {
    if (!skip) await store.cleanup();
  });

  it.skipIf(skip)("keeps only the secret's hash: the cookie's secret finds the session, the stored hash does not", async () => {
    const { token, row } = await createSession(store.db, { staffId, ...ORIGIN }, POLICY, T0);
    const stored = await store.db.selectFrom("staff_sessions").selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashSessionToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await findSessionWithStaff(store.db, token))?.session.id).toBe(row.id);
    expect(await findSessionWithStaff(store.db, stored.token_hash)).toBeNull();
    expect((await findSessionWithStaff(store.db, token))?.staff?.email).toBe("sam@example.com");
  });

  it.skipIf(skip)("ends after the idle timeout, unless activity moved the clock; never past the absolute lifetime", async () => {
    const { row } = await createSession(store.db, { staffId, ...ORIGIN }, POLICY, T0);
    expect(sessionEnd(row, POLICY, at(15 * 60_000 - 1))).toBeNull();
    expect(sessionEnd(row, POLICY, at(15 * 60_000))).toBe("idle");
    await touchSession(store.db, row.id, at(10 * 60_000));
    // An older touch arriving late does not move the clock back.
    await touchSession(store.db, row.id, at(5 * 60_000));
    const touched = await store.db.selectFrom("staff_sessions").selectAll().executeTakeFirstOrThrow();
    expect(touched.last_seen_at).toBe(at(10 * 60_000).toISOString());
    expect(sessionEnd(touched, POLICY, at(20 * 60_000))).toBeNull();
    expect(idleDeadline(touched, POLICY)).toBe(at(25 * 60_000).getTime());
    // Busy all day still ends at eight hours.
    const busy = { ...touched, last_seen_at: at(8 * 3_600_000 - 1000).toISOString() };
    expect(sessionEnd(busy, POLICY, at(8 * 3_600_000))).toBe("expired");
  });

  it.skipIf(skip)("an end is won by exactly one of many racing callers, on separate connections", async () => {
    const { row } = await createSession(store.db, { staffId, ...ORIGIN }, POLICY, T0);
    const other = store.reopen();
    try {
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => endSession(i % 2 ? other : store.db, row.id, END_REASONS.idle, null)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      const ended = await findSessionWithStaff(store.db, (await createSession(store.db, { staffId, ...ORIGIN }, POLICY)).token);
      expect(ended?.session.ended_at).toBeNull();
      expect(sessionEnd({ ...row, ended_at: "x" }, POLICY)).toBe("ended");
    } finally {
      await other.destroy();
    }
  });

  it.skipIf(skip)("signing out everywhere ends every open session of one person but the one kept, and nobody else's", async () => {
    const otherId = (await addStaff(store.db, { email: "kim@example.com", role: "agent" })).id;
    const a = await createSession(store.db, { staffId, ...ORIGIN }, POLICY);
    const b = await createSession(store.db, { staffId, ...ORIGIN }, POLICY);
    const c = await createSession(store.db, { staffId, ...ORIGIN }, POLICY);
    const kims = await createSession(store.db, { staffId: otherId, ...ORIGIN }, POLICY);
    expect((await endStaffSessions(store.db, staffId, END_REASONS.signedOutEverywhere, staffId, { except: c.row.id })).sort()).toEqual(
      [a.row.id, b.row.id].sort(),
    );
    expect((await listOpenSessions(store.db)).map((s) => s.id).sort()).toEqual([c.row.id, kims.row.id].sort());
    expect((await listOpenSessions(store.db, otherId)).map((s) => s.staff_email)).toEqual(["kim@example.com"]);
    const ended = await findSessionWithStaff(store.db, a.token);
    expect(ended?.session.end_reason).toBe(END_REASONS.signedOutEverywhere);
    expect(ended?.session.ended_by).toBe(staffId);
  });

  it.skipIf(skip)("step-up: a fresh proof of identity only within its window, and never on an ended session", async () => {
    const { row } = await createSession(store.db, { staffId, ...ORIGIN }, POLICY, T0);
    expect(isFreshSignIn(row, POLICY, at(10 * 60_000 - 1))).toBe(true);
    expect(isFreshSignIn(row, POLICY, at(10 * 60_000))).toBe(false);
    expect(await markAuthenticated(store.db, row.id, at(11 * 60_000))).toBe(true);
    const again = await store.db.selectFrom("staff_sessions").selectAll().executeTakeFirstOrThrow();
    expect(isFreshSignIn(again, POLICY, at(12 * 60_000))).toBe(true);
    await endSession(store.db, row.id, END_REASONS.signedOut, staffId);
    expect(await markAuthenticated(store.db, row.id, at(13 * 60_000))).toBe(false);
  });

  it.skipIf(skip)("the person's state comes with the session: a disabled person is seen on the next lookup", async () => {
    const { token } = await createSession(store.db, { staffId, ...ORIGIN }, POLICY);
    await setStaffDisabled(store.db, "sam@example.com", true);
    expect((await findSessionWithStaff(store.db, token))?.staff?.disabled_at).not.toBeNull();
  });
});
