// A reason for access through the one audited gate, on both stores: what is refused, what is recorded.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import type { Customer } from "@/lib/devdraft";
import { ReasonRequiredError } from "@/lib/errors";
import { adoptServices, buildServices, closeServices, servicesConfigFromEnv } from "@/lib/services";

const state = vi.hoisted(() => ({
  staff: null as null | { id: string; email: string; name: string; role: "agent" | "admin" | "auditor" },
  customers: new Map<string, unknown>(),
  fetched: [] as string[],
}));

vi.mock("@/lib/access/origin", () => ({ requestOrigin: async () => ({ sessionId: "sid-1", clientAddress: "203.0.113.9", userAgent: "test" }) }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  currentStaff: async () => state.staff,
  currentStaffPassive: async () => state.staff,
  sessionState: async () => ({ state: "none" }),
  signedInRecently: async () => true,
}));
vi.mock("@/lib/devdraft", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/devdraft")>()),
  getDevdraft: () => ({
    async getCustomer(id: string) {
      state.fetched.push(id);
      const c = state.customers.get(id);
      if (!c) throw new Error("no such customer in the fake");
      return { value: c, asOf: Date.now(), stale: false };
    },
  }),
}));

const { getCustomerFor } = await import("./service");
const { grantExport, revokeExportGrant } = await import("@/lib/staff/grant-service");
const { addStaff } = await import("@/lib/auth/staff-store");

const BLACKLISTED = "11111111-1111-4111-8111-111111111111";
const ACTIVE = "22222222-2222-4222-8222-222222222222";
const customer = (id: string, status: string): Customer => ({
  id,
  first_name: "Jo",
  last_name: "Doe",
  email: "jo@example.com",
  phone_number: "+15550100",
  customer_type: "Individual",
  status,
  last_spent: 1,
  currency: null,
  last_purchase_date: null,
  appId: null,
  createdAt: null,
  updatedAt: null,
});
const REASON = { reason: "Fraud investigation", ticket: "INC-123" };

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`reasons for access on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
      // The process's services on this test's store (the recorder writes into it; close leaves it open).
      adoptServices(() => buildServices(servicesConfigFromEnv(), { store: store.db }));
      state.staff = { id: "staff-agent", email: "agent@example.com", name: "Agent", role: "agent" };
      state.customers = new Map([
        [BLACKLISTED, customer(BLACKLISTED, "BLACKLISTED")],
        [ACTIVE, customer(ACTIVE, "ACTIVE")],
      ]);
      state.fetched = [];
    });
    afterEach(async () => {
      // The process's services are built on this store: close them (the recorder's writes commit) before it goes.
      await closeServices();
      await store.cleanup();
    });
    afterAll(() => vi.restoreAllMocks());

    const events = () => store.db.selectFrom("audit_events").select(["action", "outcome", "targets", "purpose", "refusal", "query"]).orderBy("seq").execute();
    const targetRows = () => store.db.selectFrom("audit_targets").selectAll().execute();

    it("a sensitive customer without a reason: reason_required, no data, and the refusal names no customer", async () => {
      const err = await getCustomerFor(BLACKLISTED, "req-1", "customer.view").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReasonRequiredError);
      expect((err as ReasonRequiredError).missing).toBe(true);
      expect((err as ReasonRequiredError).reasons).toContain("Fraud investigation");
      expect(JSON.stringify(err)).not.toContain("jo@example.com");
      expect(await events()).toEqual([
        {
          action: "customer.view",
          outcome: "denied",
          targets: "[]",
          purpose: null,
          refusal: "no reason for access given",
          query: JSON.stringify({ id: BLACKLISTED }),
        },
      ]);
      expect(await targetRows()).toEqual([]);
    });

    it("a sensitive customer with a valid reason: shown, and the reason is the event's purpose", async () => {
      const { customer: c } = await getCustomerFor(BLACKLISTED, "req-2", "customer.view", REASON);
      expect(c.email).toBe("jo@example.com");
      expect(await events()).toMatchObject([
        { action: "customer.view", outcome: "ok", targets: JSON.stringify([BLACKLISTED]), purpose: "Fraud investigation · ticket INC-123" },
      ]);
    });

    it("an ordinary customer opens without a reason (purpose null), and with one records it", async () => {
      await getCustomerFor(ACTIVE, "req-3", "customer.view");
      await getCustomerFor(ACTIVE, "req-4", "customer.view", { reason: "Compliance review", ticket: "C-7" });
      expect((await events()).map((e) => e.purpose)).toEqual([null, "Compliance review · ticket C-7"]);
    });

    it("a Reveal without a reason, or with a forged one, is refused before Devdraft is asked, naming no customer", async () => {
      const missing = await getCustomerFor(ACTIVE, "req-5", "customer.reveal").catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ReasonRequiredError);
      const forged = await getCustomerFor(ACTIVE, "req-6", "customer.reveal", { reason: "Curiosity", ticket: "INC-1" }).catch((e: unknown) => e);
      expect(forged).toBeInstanceOf(ReasonRequiredError);
      expect((forged as ReasonRequiredError).missing).toBe(false);
      const badTicket = await getCustomerFor(BLACKLISTED, "req-7", "customer.view", { reason: "Fraud investigation", ticket: "<img>" }).catch(
        (e: unknown) => e,
      );
      expect(badTicket).toBeInstanceOf(ReasonRequiredError);
      expect(state.fetched).toEqual([]);
      const rows = await events();
      expect(rows.map((e) => [e.action, e.outcome, e.targets, e.purpose])).toEqual([
        ["customer.reveal", "denied", "[]", null],
        ["customer.reveal", "invalid", "[]", null],
        ["customer.view", "invalid", "[]", null],
      ]);
      expect(rows[1]?.refusal).toBe(
        "invalid reason for access: reason: must be one of: Customer support request | Fraud investigation | Compliance review | Chargeback or dispute | Legal request",
      );
      expect(await targetRows()).toEqual([]);
    });

    it("grant.create and grant.revoke are recorded with the reason and the grant; an agent cannot grant", async () => {
      const boss = await addStaff(store.db, { email: "boss@example.com", role: "admin" });
      const jo = await addStaff(store.db, { email: "jo@example.com", role: "agent" });
      state.staff = { id: jo.id, email: jo.email, name: jo.name, role: "agent" };
      await expect(grantExport({ staffId: jo.id, hours: 2, ...REASON }, "req-g0")).rejects.toThrow("Your role does not allow this");
      state.staff = { id: boss.id, email: boss.email, name: boss.name, role: "admin" };
      await expect(grantExport({ staffId: jo.id, hours: 2 }, "req-g1")).rejects.toBeInstanceOf(ReasonRequiredError);
      await expect(grantExport({ staffId: jo.id, hours: 99, ...REASON }, "req-g2")).rejects.toThrow("hours: at most 72");
      expect(await store.db.selectFrom("access_grants").selectAll().execute()).toEqual([]);
      const grant = await grantExport({ staffId: jo.id, hours: 2, ...REASON }, "req-g3");
      await revokeExportGrant(grant.id, "req-g4");
      await expect(revokeExportGrant(grant.id, "req-g5")).rejects.toThrow("already revoked");
      const rows = await store.db.selectFrom("audit_events").select(["action", "outcome", "purpose", "detail"]).orderBy("seq").execute();
      expect(rows.map((r) => [r.action, r.outcome])).toEqual([
        ["grant.create", "denied"],
        ["grant.create", "denied"],
        ["grant.create", "invalid"],
        ["grant.create", "ok"],
        ["grant.revoke", "ok"],
        ["grant.revoke", "invalid"],
      ]);
      expect(rows[3]?.purpose).toBe("Fraud investigation · ticket INC-123");
      expect(JSON.parse(rows[3]?.detail ?? "{}")).toMatchObject({
        grantId: grant.id,
        staffId: jo.id,
        hours: 2,
        permission: "export",
        expiresAt: grant.expires_at,
      });
      expect(JSON.parse(rows[4]?.detail ?? "{}")).toMatchObject({ grantId: grant.id, staffId: jo.id });
    });

    it("a Reveal with a reason returns the contact and records the purpose", async () => {
      const { customer: c } = await getCustomerFor(ACTIVE, "req-8", "customer.reveal", { reason: "Customer support request", ticket: "#5512" });
      expect(c.phone_number).toBe("+15550100");
      expect(await events()).toMatchObject([
        { action: "customer.reveal", outcome: "ok", purpose: "Customer support request · ticket #5512", targets: JSON.stringify([ACTIVE]) },
      ]);
    });
  });
}
