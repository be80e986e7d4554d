import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { verifyPassword } from "./password";
import { applyStaffChange, type StaffActor } from "./staff-changes";
import { createSession, END_REASONS, findSessionById } from "./session-store";
import { findStaffByEmail } from "./staff-store";

const GOOD = "mauve-otter-lantern-42";
const OTHER_GOOD = "quiet-harbour-violin-77";

describe.each(STORE_KINDS)("staff changes on $kind", ({ kind, skip }) => {
  let store: TestStore;
  beforeEach(async () => {
    if (!skip) store = await openTestStore(kind);
  });
  afterEach(async () => {
    if (!skip) await store.cleanup();
  });

  async function admin(email: string): Promise<NonNullable<StaffActor>> {
    const result = await applyStaffChange(store.db, { kind: "add", email, role: "admin", password: GOOD });
    if (!result.ok) throw new Error(result.refusal);
    return { id: result.id, email: result.email };
  }
  const row = (email: string) => findStaffByEmail(store.db, email);

  it.skipIf(skip)("adds with the state after, and refuses a bad email, a duplicate or a weak password without adding", async () => {
    expect(await applyStaffChange(store.db, { kind: "add", email: " Kim@Example.com ", role: "agent", name: "Kim", password: GOOD })).toEqual({
      ok: true,
      email: "kim@example.com",
      id: expect.any(String),
      before: null,
      after: { role: "agent", disabled: false, password: true },
    });
    expect(await verifyPassword(GOOD, (await row("kim@example.com"))?.password_hash ?? "")).toBe(true);
    expect(await applyStaffChange(store.db, { kind: "add", email: "kim@example.com", role: "admin" })).toMatchObject({
      ok: false,
      outcome: "invalid",
      refusal: "already a staff member",
      field: "email",
    });
    expect(await applyStaffChange(store.db, { kind: "add", email: "not an email", role: "agent" })).toMatchObject({
      ok: false,
      outcome: "invalid",
      field: "email",
    });
    for (const [password, reason] of [
      ["short-pw", "too short"],
      ["password1234", "breached"],
      ["qwertyuiop123", "breached"],
    ] as const) {
      expect(await applyStaffChange(store.db, { kind: "add", email: "lee@example.com", role: "agent", password })).toEqual({
        ok: false,
        email: "lee@example.com",
        outcome: "invalid",
        refusal: `password refused: ${reason}`,
        field: "password",
        message: expect.objectContaining({ key: expect.stringMatching(/^password\.refusals\./) }),
      });
    }
    expect(await row("lee@example.com")).toBeNull();
    // OIDC-only staff have no password at all.
    expect(await applyStaffChange(store.db, { kind: "add", email: "sso@example.com", role: "auditor" })).toMatchObject({
      ok: true,
      after: { password: false },
    });
  });

  it.skipIf(skip)("a password reset ends every session of that person; one's own change ends all but the current one", async () => {
    const ada = await admin("ada@example.com");
    const kim = await applyStaffChange(store.db, { kind: "add", email: "kim@example.com", role: "agent", password: GOOD });
    if (!kim.ok) throw new Error(kim.refusal);
    const policy = { idleMs: 900_000, maxMs: 8 * 3_600_000, stepUpMs: 600_000 };
    const open = async (staffId: string) =>
      (await createSession(store.db, { staffId, provider: "credentials", clientAddress: null, userAgent: null }, policy)).row.id;
    const [k1, k2, a1, a2] = [await open(kim.id), await open(kim.id), await open(ada.id), await open(ada.id)];
    expect(await applyStaffChange(store.db, { kind: "reset-password", email: "kim@example.com", password: OTHER_GOOD }, ada)).toMatchObject({ ok: true });
    const ended = async (id: string) => (await findSessionById(store.db, id))?.end_reason ?? null;
    expect([await ended(k1), await ended(k2)]).toEqual([END_REASONS.passwordChanged, END_REASONS.passwordChanged]);
    expect([await ended(a1), await ended(a2)]).toEqual([null, null]);
    const hash = (await row("ada@example.com"))?.password_hash ?? "";
    expect(
      await applyStaffChange(store.db, { kind: "change-own-password", email: ada.email, password: OTHER_GOOD, checkedHash: hash, keepSession: a2 }, ada),
    ).toMatchObject({ ok: true });
    expect([await ended(a1), await ended(a2)]).toEqual([END_REASONS.passwordChanged, null]);
  });

  it.skipIf(skip)("changes a role and disables and enables, with the state before and after", async () => {
    const ada = await admin("ada@example.com");
    await applyStaffChange(store.db, { kind: "add", email: "kim@example.com", role: "agent" });
    expect(await applyStaffChange(store.db, { kind: "set-role", email: "KIM@example.com", role: "auditor" }, ada)).toMatchObject({
      ok: true,
      before: { role: "agent" },
      after: { role: "auditor" },
    });
    expect(await applyStaffChange(store.db, { kind: "disable", email: "kim@example.com" }, ada)).toMatchObject({
      ok: true,
      before: { disabled: false },
      after: { disabled: true },
    });
    expect((await row("kim@example.com"))?.disabled_at).not.toBeNull();
    expect(await applyStaffChange(store.db, { kind: "enable", email: "kim@example.com" }, ada)).toMatchObject({
      ok: true,
      before: { disabled: true },
      after: { disabled: false },
    });
    expect(await row("kim@example.com")).toMatchObject({ role: "auditor", disabled_at: null });
    expect(await applyStaffChange(store.db, { kind: "disable", email: "nobody@example.com" }, ada)).toMatchObject({ ok: false, outcome: "not_found" });
  });

  it.skipIf(skip)("refuses an admin's own demotion or disabling, and the last enabled admin's, changing nothing", async () => {
    const ada = await admin("ada@example.com");
    const bo = await admin("bo@example.com");
    expect(await applyStaffChange(store.db, { kind: "set-role", email: ada.email, role: "agent" }, ada)).toMatchObject({
      ok: false,
      outcome: "denied",
      refusal: "an admin cannot change their own role",
    });
    expect(await applyStaffChange(store.db, { kind: "disable", email: ada.email }, ada)).toMatchObject({
      ok: false,
      outcome: "denied",
      refusal: "an admin cannot disable themself",
    });
    expect(await row(ada.email)).toMatchObject({ role: "admin", disabled_at: null });

    // Bo may disable Ada while Bo is an enabled admin; then Bo is the last one, from the app and from the CLI.
    expect(await applyStaffChange(store.db, { kind: "disable", email: ada.email }, bo)).toMatchObject({ ok: true });
    expect(await applyStaffChange(store.db, { kind: "disable", email: bo.email })).toMatchObject({
      ok: false,
      outcome: "denied",
      refusal: "the last enabled admin cannot be disabled",
    });
    expect(await applyStaffChange(store.db, { kind: "set-role", email: bo.email, role: "auditor" })).toMatchObject({
      ok: false,
      outcome: "denied",
      refusal: "the last enabled admin cannot be demoted",
    });
    expect(await row(bo.email)).toMatchObject({ role: "admin", disabled_at: null });
    // A disabled admin may be demoted: it takes no enabled admin away.
    expect(await applyStaffChange(store.db, { kind: "set-role", email: ada.email, role: "agent" }, bo)).toMatchObject({
      ok: true,
      before: { role: "admin" },
      after: { role: "agent" },
    });
  });

  it.skipIf(skip)("leaves one enabled admin when six admins demote each other at once", async () => {
    const admins = await Promise.all(["a", "b", "c", "d", "e", "f"].map((n) => admin(`${n}@example.com`)));
    // PostgreSQL: a pool each, racing. SQLite: one process has one writer connection (a second one in the same
    // thread would block it); other processes wait on busy_timeout behind BEGIN IMMEDIATE.
    const dbs = admins.map(() => (kind === "postgres" ? store.reopen() : store.db));
    // Connected before the race, so the six transactions overlap rather than queue behind connection set-up.
    await Promise.all(dbs.map((db) => db.selectFrom("staff").select("id").limit(1).execute()));
    const results = await Promise.all(
      admins.map((by, i) => applyStaffChange(dbs[i]!, { kind: "set-role", email: admins[(i + 1) % admins.length]!.email, role: "agent" }, by)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.find((r) => !r.ok)).toMatchObject({ outcome: "denied", refusal: "the last enabled admin cannot be demoted" });
    expect(await store.db.selectFrom("staff").select("email").where("role", "=", "admin").execute()).toHaveLength(1);
  });

  it.skipIf(skip)("resets someone else's password (never one's own) under the policy", async () => {
    const ada = await admin("ada@example.com");
    await applyStaffChange(store.db, { kind: "add", email: "sso@example.com", role: "agent" });
    expect(await applyStaffChange(store.db, { kind: "reset-password", email: "sso@example.com", password: "password1234" }, ada)).toMatchObject({
      ok: false,
      outcome: "invalid",
      refusal: "password refused: breached",
    });
    expect((await row("sso@example.com"))?.password_hash).toBeNull();
    expect(await applyStaffChange(store.db, { kind: "reset-password", email: "sso@example.com", password: OTHER_GOOD }, ada)).toMatchObject({
      ok: true,
      before: { password: false },
      after: { password: true },
    });
    expect(await verifyPassword(OTHER_GOOD, (await row("sso@example.com"))?.password_hash ?? "")).toBe(true);
    expect(await applyStaffChange(store.db, { kind: "reset-password", email: ada.email, password: OTHER_GOOD }, ada)).toMatchObject({
      ok: false,
      outcome: "denied",
    });
    expect(await verifyPassword(GOOD, (await row(ada.email))?.password_hash ?? "")).toBe(true);
  });

  it.skipIf(skip)("changes one's own password only against the hash that was checked, and only one's own", async () => {
    const ada = await admin("ada@example.com");
    const bo = await admin("bo@example.com");
    const checkedHash = (await row(ada.email))?.password_hash ?? "";
    expect(await applyStaffChange(store.db, { kind: "change-own-password", email: ada.email, password: OTHER_GOOD, checkedHash }, bo)).toMatchObject({
      ok: false,
      outcome: "denied",
    });
    expect(
      await applyStaffChange(store.db, { kind: "change-own-password", email: ada.email, password: OTHER_GOOD, checkedHash: "scrypt$stale" }, ada),
    ).toMatchObject({
      ok: false,
      outcome: "invalid",
      refusal: "the password was changed meanwhile",
    });
    expect(await verifyPassword(GOOD, (await row(ada.email))?.password_hash ?? "")).toBe(true);
    expect(await applyStaffChange(store.db, { kind: "change-own-password", email: ada.email, password: OTHER_GOOD, checkedHash }, ada)).toMatchObject({
      ok: true,
      before: { password: true },
      after: { password: true },
    });
    expect(await verifyPassword(OTHER_GOOD, (await row(ada.email))?.password_hash ?? "")).toBe(true);
  });
});
