import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { verifyPassword } from "./password";
import { addStaff, DEMO_STAFF, findStaffByEmail, setStaffDisabled, setStaffRole, StaffExistsError, syncDemoStaff } from "./staff-store";

describe.each(STORE_KINDS)("staff on $kind", ({ kind, skip }) => {
  let store: TestStore;
  beforeEach(async () => {
    if (!skip) store = await openTestStore(kind);
  });
  afterEach(async () => {
    if (!skip) await store.cleanup();
  });

  it.skipIf(skip)("adds staff with a lowercased email and a hashed password, once", async () => {
    await addStaff(store.db, { email: " Jo@Example.COM ", role: "agent", password: "pw-123456" });
    const jo = await findStaffByEmail(store.db, "jo@example.com");
    expect(jo?.role).toBe("agent");
    expect(jo?.password_hash).not.toContain("pw-123456");
    expect(await verifyPassword("pw-123456", jo?.password_hash ?? "")).toBe(true);
    await expect(addStaff(store.db, { email: "jo@example.com", role: "admin" })).rejects.toBeInstanceOf(StaffExistsError);
  });

  it.skipIf(skip)("changes a role and disables an account", async () => {
    await addStaff(store.db, { email: "a@x.io", role: "agent" });
    expect(await setStaffRole(store.db, "a@x.io", "auditor")).toBe(true);
    expect(await setStaffDisabled(store.db, "A@x.io", true)).toBe(true);
    const a = await findStaffByEmail(store.db, "a@x.io");
    expect(a?.role).toBe("auditor");
    expect(a?.disabled_at).not.toBeNull();
    expect(await setStaffRole(store.db, "nobody@x.io", "admin")).toBe(false);
  });

  it.skipIf(skip)("creates the demo accounts only in the embedded default and disables them otherwise", async () => {
    await syncDemoStaff(store.db, true);
    for (const demo of DEMO_STAFF) expect((await findStaffByEmail(store.db, demo.email))?.disabled_at).toBeNull();
    await syncDemoStaff(store.db, false);
    for (const demo of DEMO_STAFF) expect((await findStaffByEmail(store.db, demo.email))?.disabled_at).not.toBeNull();
  });

  it.skipIf(skip)("seeds the demo accounts once when two instances start on one empty store together", async () => {
    const other = store.reopen();
    await Promise.all([syncDemoStaff(store.db, true), syncDemoStaff(other, true)]);
    for (const demo of DEMO_STAFF) expect((await findStaffByEmail(store.db, demo.email))?.disabled_at).toBeNull();
    expect(
      await store.db
        .selectFrom("staff")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirst(),
    ).toEqual({ n: DEMO_STAFF.length });
  });
});
