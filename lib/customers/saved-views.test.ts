import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditRecorder } from "@/lib/audit/recorder";
import { sampleInput } from "@/test/support/audit-fixtures";
import { addStaff } from "@/lib/auth/staff-store";
import { openStoreWithAgents, openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { recentlyViewed } from "./recently-viewed";
import { createSavedView, deleteSavedView, listSavedViews, MAX_VIEWS_PER_OWNER, normaliseViewQuery, renameSavedView, SavedViewError } from "./saved-views";

async function refusedWith(promise: Promise<unknown>, kind: SavedViewError["kind"]): Promise<SavedViewError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SavedViewError);
  expect((err as SavedViewError).kind).toBe(kind);
  return err as SavedViewError;
}

describe("normaliseViewQuery", () => {
  it("keeps the filters in a fixed order, drops the page and the defaults", () => {
    expect(normaliseViewQuery("/customers?name=jo&skip=20&status=ACTIVE&take=10")).toBe("status=ACTIVE&name=jo");
    expect(normaliseViewQuery("?email=a%40b.example&take=50")).toBe("email=a%40b.example&take=50");
    expect(normaliseViewQuery("")).toBe("");
    expect(normaliseViewQuery("utm=x")).toBe("");
  });

  it("refuses what Devdraft would refuse, with its messages", () => {
    const err = (() => {
      try {
        normaliseViewQuery("status=active&take=500");
      } catch (e) {
        return e as SavedViewError;
      }
    })();
    expect(err?.kind).toBe("invalid");
    expect(err?.messages).toEqual(["take must not be greater than 100", "status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED"]);
  });
});

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`saved views on ${kind}`, () => {
    let store: TestStore;
    let ann: string;
    let bob: string;
    beforeAll(async () => {
      ({
        store,
        ids: [ann = "", bob = ""],
      } = await openStoreWithAgents(kind, ["Ann", "Bob"]));
    });
    afterAll(async () => {
      await store?.cleanup();
    });
    const rows = async () => store.db.selectFrom("saved_views").selectAll().orderBy("id").execute();

    it("saves a private view as a plain link that only its owner lists", async () => {
      const view = await createSavedView(store.db, ann, { name: "  Active Jos ", query: "?status=ACTIVE&name=jo&skip=30" });
      expect(view).toMatchObject({ name: "Active Jos", href: "/customers?status=ACTIVE&name=jo", shared: false, mine: true, owner: "Ann" });
      expect(view.id).toMatch(/^view_[A-Za-z0-9_-]{22}$/);
      expect((await listSavedViews(store.db, ann)).map((v) => v.id)).toContain(view.id);
      // Attack: a private view is not listed to anyone else.
      expect((await listSavedViews(store.db, bob)).map((v) => v.id)).not.toContain(view.id);
    });

    it("lists a shared view to every staff member, as not theirs", async () => {
      const view = await createSavedView(store.db, ann, { name: "Blacklisted", query: "status=BLACKLISTED", shared: true });
      const seen = (await listSavedViews(store.db, bob)).find((v) => v.id === view.id);
      expect(seen).toMatchObject({ name: "Blacklisted", href: "/customers?status=BLACKLISTED", shared: true, mine: false, owner: "Ann" });
    });

    it("refuses bad input with a clear message and writes nothing", async () => {
      const before = await rows();
      expect((await refusedWith(createSavedView(store.db, ann, { name: "", query: "" }), "invalid")).messages).toEqual(["name must not be empty"]);
      expect((await refusedWith(createSavedView(store.db, ann, { name: "x".repeat(81), query: "" }), "invalid")).messages).toEqual([
        "name must be at most 80 characters",
      ]);
      expect((await refusedWith(createSavedView(store.db, ann, { name: "a\u0000b", query: "" }), "invalid")).messages).toEqual([
        "name must not contain control characters",
      ]);
      expect((await refusedWith(createSavedView(store.db, ann, { name: "x", query: "take=0" }), "invalid")).messages).toEqual(["take must not be less than 1"]);
      expect((await refusedWith(createSavedView(store.db, ann, { name: "x", query: "", shared: "yes" }), "invalid")).messages).toEqual([
        "shared must be true or false",
      ]);
      expect((await refusedWith(createSavedView(store.db, ann, { name: "x", query: "", owner_id: bob }), "invalid")).messages).toEqual([
        "unknown field: owner_id",
      ]);
      await refusedWith(createSavedView(store.db, ann, null), "invalid");
      await refusedWith(createSavedView(store.db, ann, { name: "Active Jos", query: "" }), "duplicate");
      expect(await rows()).toEqual(before);
    });

    it("lets the owner rename and delete, and refuses anyone else without changing anything", async () => {
      const shared = await createSavedView(store.db, ann, { name: "Team view", query: "name=an", shared: true });
      const secret = await createSavedView(store.db, ann, { name: "Mine only", query: "email=x" });
      const before = await rows();
      // Attack: another person renames or deletes a shared view (visible to them) → not the owner.
      await refusedWith(renameSavedView(store.db, shared.id, bob, { name: "Hijacked" }), "not_owner");
      await refusedWith(deleteSavedView(store.db, shared.id, bob), "not_owner");
      // …or a private one (invisible to them) → not found, so its existence is not confirmed.
      await refusedWith(renameSavedView(store.db, secret.id, bob, { name: "Hijacked" }), "not_found");
      await refusedWith(deleteSavedView(store.db, secret.id, bob), "not_found");
      await refusedWith(deleteSavedView(store.db, "view_' or 1=1 --", bob), "not_found");
      expect(await rows()).toEqual(before);

      await refusedWith(renameSavedView(store.db, shared.id, ann, { name: "Mine only" }), "duplicate");
      await refusedWith(renameSavedView(store.db, shared.id, ann, { name: "x", query: "" }), "invalid");
      expect(await rows()).toEqual(before);

      const later = new Date(Date.now() + 60_000);
      const { before: old, view } = await renameSavedView(store.db, shared.id, ann, { name: "Team: names with an" }, later);
      expect(old.name).toBe("Team view");
      expect(view).toMatchObject({
        id: shared.id,
        name: "Team: names with an",
        href: "/customers?name=an",
        updatedAt: later.toISOString(),
        createdAt: shared.createdAt,
      });
      expect((await deleteSavedView(store.db, secret.id, ann)).name).toBe("Mine only");
      expect((await listSavedViews(store.db, ann)).map((v) => v.id)).not.toContain(secret.id);
      await refusedWith(deleteSavedView(store.db, secret.id, ann), "not_found");
    });

    it("stops at the per-person limit", async () => {
      const carl = (await addStaff(store.db, { email: "carl@example.com", role: "agent" })).id;
      for (let i = 0; i < MAX_VIEWS_PER_OWNER; i++) await createSavedView(store.db, carl, { name: `v${i}`, query: "" });
      await refusedWith(createSavedView(store.db, carl, { name: "one more", query: "" }), "limit");
      expect((await listSavedViews(store.db, carl)).filter((v) => v.mine)).toHaveLength(MAX_VIEWS_PER_OWNER);
    });
  });

  describe.skipIf(skip)(`recently viewed on ${kind}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(kind);
    });
    afterAll(async () => {
      await store?.cleanup();
    });

    it("is the person's last distinct customers from their successful detail views, newest first", async () => {
      const recorder = createAuditRecorder(store.db);
      const me = { id: "staff-me", email: "me@example.com" };
      const view = (id: string, overrides = {}) => recorder.record(sampleInput({ actor: me, targets: [id], query: { id }, ...overrides }));
      for (let i = 1; i <= 10; i++) await view(`cus_${i}`);
      await view("cus_3"); // opened again: moves to the front, listed once
      await view("cus_refused", { outcome: "denied", targets: [] });
      await view("cus_revealed", { action: "customer.reveal" });
      await view("cus_listed", { action: "customers.list" });
      await view("cus_others", { actor: { id: "staff-other", email: "other@example.com" } });
      const recent = await recentlyViewed(store.db, me.id);
      expect(recent.map((r) => r.id)).toEqual(["cus_3", "cus_10", "cus_9", "cus_8", "cus_7", "cus_6", "cus_5", "cus_4"]);
      expect(recent.every((r) => typeof r.at === "string" && !Number.isNaN(Date.parse(r.at)))).toBe(true);
      expect(await recentlyViewed(store.db, "staff-nobody")).toEqual([]);
    });
  });
}
