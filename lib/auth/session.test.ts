import { encode } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { resolveSession, sessionPolicy } from "./session";
import { createSession, END_REASONS, endSession } from "./session-store";
import { addStaff } from "./staff-store";

const SECRET = "session-test-secret-0123456789abcdef";
const ORIGIN = { provider: "credentials", clientAddress: "10.0.0.7", userAgent: "test" };
const noEnd = async () => {};

// The session is read from the store on every request (lib/auth/session.ts): nothing about it is kept in memory.
describe.each(STORE_KINDS)("session lookup on $kind", ({ kind, skip }) => {
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

  it.skipIf(skip)("refuses a session revoked on another instance at once", async () => {
    const live = await resolveSession(store.db, cookie, noEnd);
    expect(live.state).toBe("live");
    // A second instance (its own connection to the same store) revokes the session: a sign-out, an admin's end.
    const other = store.reopen();
    expect(await endSession(other, sessionId, END_REASONS.revoked, null)).toBe(true);
    // The very next request on this instance is refused.
    const after = await resolveSession(store.db, cookie, noEnd);
    expect(after).toMatchObject({ state: "ended", sessionId, reason: END_REASONS.revoked });
  });
});
