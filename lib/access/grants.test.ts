import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addStaff, setStaffDisabled } from "@/lib/auth/staff-store";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { InvalidQueryError, NotFoundError, NotGrantedError } from "@/lib/errors";
import { createGrant, exportPermission, listGrants, liveGrant, revokeGrant } from "./grants";

const HOUR = 3_600_000;

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`time-boxed grants on ${kind}`, () => {
    let store: TestStore;
    let admin: { id: string; email: string; name: string; role: "admin" };
    let agent: { id: string; email: string; name: string; role: "agent" };
    const t0 = new Date("2026-12-02T10:00:00.000Z");
    const later = (ms: number) => new Date(t0.getTime() + ms);

    beforeEach(async () => {
      store = await openTestStore(kind);
      const a = await addStaff(store.db, { email: "boss@example.com", role: "admin" });
      const g = await addStaff(store.db, { email: "jo@example.com", role: "agent" });
      admin = { id: a.id, email: a.email, name: a.name, role: "admin" };
      agent = { id: g.id, email: g.email, name: g.name, role: "agent" };
    });
    afterEach(async () => {
      await store.cleanup();
    });

    const grant = (hours = 2, staffId = agent.id) =>
      createGrant(store.db, { staffId, grantedBy: admin.id, permission: "export", hours, reason: "Compliance review · ticket C-1" }, t0);

    it("is live until it expires, and the expiry is enforced at each call", async () => {
      const g = await grant(2);
      expect(g.expires_at).toBe("2026-12-02T12:00:00.000Z");
      expect((await liveGrant(store.db, agent.id, "export", later(HOUR)))?.id).toBe(g.id);
      expect(await exportPermission(store.db, agent, later(2 * HOUR - 1))).toEqual({ grantId: g.id });
      expect(await liveGrant(store.db, agent.id, "export", later(2 * HOUR))).toBeNull();
      await expect(exportPermission(store.db, agent, later(2 * HOUR))).rejects.toBeInstanceOf(NotGrantedError);
      expect((await listGrants(store.db, later(3 * HOUR)))[0]).toMatchObject({
        id: g.id,
        state: "expired",
        staffEmail: "jo@example.com",
        grantedByEmail: "boss@example.com",
      });
    });

    it("ends when revoked; revoking again, or an expired grant, is refused and changes nothing", async () => {
      const g = await grant(4);
      const revoked = await revokeGrant(store.db, g.id, admin.id, later(HOUR));
      expect(revoked.revoked_at).toBe(later(HOUR).toISOString());
      await expect(exportPermission(store.db, agent, later(HOUR + 1))).rejects.toBeInstanceOf(NotGrantedError);
      await expect(revokeGrant(store.db, g.id, admin.id, later(2 * HOUR))).rejects.toThrow("This grant is already revoked");
      const row = await store.db.selectFrom("access_grants").selectAll().where("id", "=", g.id).executeTakeFirstOrThrow();
      expect(row.revoked_at).toBe(later(HOUR).toISOString());
      const old = await grant(1);
      await expect(revokeGrant(store.db, old.id, admin.id, later(2 * HOUR))).rejects.toThrow("This grant is already expired");
      await expect(revokeGrant(store.db, "nope", admin.id, t0)).rejects.toBeInstanceOf(NotFoundError);
      expect((await listGrants(store.db, later(2 * HOUR))).map((x) => x.state).sort()).toEqual(["expired", "revoked"]);
    });

    it("admins export by role; an agent without a grant cannot; hours outside 1–72 and non-agents are refused, writing nothing", async () => {
      expect(await exportPermission(store.db, admin, t0)).toEqual({ grantId: null });
      await expect(exportPermission(store.db, agent, t0)).rejects.toBeInstanceOf(NotGrantedError);
      for (const hours of [0, 73, 1.5, Number.NaN]) await expect(grant(hours)).rejects.toBeInstanceOf(InvalidQueryError);
      await expect(grant(1, admin.id)).rejects.toThrow(/only an agent/);
      await expect(grant(1, "missing")).rejects.toBeInstanceOf(NotFoundError);
      await setStaffDisabled(store.db, agent.email, true);
      await expect(grant(1)).rejects.toThrow(/disabled/);
      expect(await store.db.selectFrom("access_grants").selectAll().execute()).toEqual([]);
      // An auditor holds no grant and cannot be given one.
      await expect(exportPermission(store.db, { ...agent, role: "auditor" }, t0)).rejects.toBeInstanceOf(NotGrantedError);
    });

    it("a grant to one agent gives nothing to another", async () => {
      await grant(72);
      const other = await addStaff(store.db, { email: "sam@example.com", role: "agent" });
      await expect(exportPermission(store.db, { id: other.id, email: other.email, name: other.name, role: "agent" }, t0)).rejects.toBeInstanceOf(
        NotGrantedError,
      );
      expect((await exportPermission(store.db, agent, later(71 * HOUR))).grantId).not.toBeNull();
    });
  });
}
