import { encode } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { decodedSessionCookies, resolveSession, sessionPolicy, sessionSecretOf } from "./session";
import { createSession, END_REASONS, endSession } from "./session-store";
import { addStaff } from "./staff-store";

const SECRET = "session-test-secret-0123456789abcdef";
const ORIGIN = { provider: "credentials", clientAddress: "10.0.0.7", userAgent: "test" };
const noEnd = async () => {};

// The session cookie's decryption is remembered (lib/auth/session.ts sessionSecretOf); the session itself never is.
describe.each(STORE_KINDS)("session lookup with remembered cookies on $kind", ({ kind, skip }) => {
  let store: TestStore;
  let cookie: string;
  let sessionId: string;
  beforeEach(async () => {
    if (skip) return;
    vi.stubEnv("NEXTAUTH_SECRET", SECRET);
    store = await openTestStore(kind);
    const staffId = (await addStaff(store.db, { email: "sam@example.com", role: "agent" })).id;
    const { token, row } = await createSession(store.db, { staffId, ...ORIGIN }, sessionPolicy());
    sessionId = row.id;
    cookie = await encode({ token: { sid: token }, secret: SECRET, maxAge: 3600 });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (!skip) await store.cleanup();
  });

  it.skipIf(skip)("refuses a session revoked on another instance at once, though its cookie is remembered", async () => {
    const live = await resolveSession(store.db, cookie, noEnd);
    expect(live.state).toBe("live");
    expect(decodedSessionCookies()).toBeGreaterThan(0);
    // A second instance (its own connection to the same store) revokes the session: a sign-out, an admin's end.
    const other = store.reopen();
    expect(await endSession(other, sessionId, END_REASONS.revoked, null)).toBe(true);
    // The very next request on this instance, cookie still remembered, is refused.
    const after = await resolveSession(store.db, cookie, noEnd);
    expect(after).toMatchObject({ state: "ended", sessionId, reason: END_REASONS.revoked });
  });

  it.skipIf(skip)("remembers only genuine cookies, and each only until its own expiry", async () => {
    const sid = await sessionSecretOf(cookie);
    expect(sid).not.toBeNull();
    const forged = `${cookie.slice(0, -4)}AAAA`;
    const before = decodedSessionCookies();
    expect(await sessionSecretOf(forged)).toBeNull();
    expect(await resolveSession(store.db, forged, noEnd)).toEqual({ state: "none" });
    expect(decodedSessionCookies()).toBe(before);
    // Past the cookie's expiry the remembered answer is not used: the cookie is decrypted again, and refused.
    vi.useFakeTimers({ now: Date.now() + 3600_000 + 60_000, toFake: ["Date"] });
    try {
      expect(await sessionSecretOf(cookie)).toBeNull();
      expect(await resolveSession(store.db, cookie, noEnd)).toEqual({ state: "none" });
    } finally {
      vi.useRealTimers();
    }
  });

  it.skipIf(skip)("forgets every remembered cookie when the secret changes", async () => {
    expect(await sessionSecretOf(cookie)).not.toBeNull();
    vi.stubEnv("NEXTAUTH_SECRET", `${SECRET}-rotated`);
    expect(await sessionSecretOf(cookie)).toBeNull();
  });
});
