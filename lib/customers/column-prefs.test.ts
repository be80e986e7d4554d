import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStaff } from "@/lib/auth/staff-store";
import { InvalidQueryError } from "@/lib/errors";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { readColumnPrefs, saveColumnPrefs } from "./column-prefs";
import { DEFAULT_COLUMN_PREFS } from "./columns";

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`column preferences on ${kind}`, () => {
    let store: TestStore;
    let ann: string;
    let bob: string;
    beforeAll(async () => {
      store = await openTestStore(kind);
      ann = (await addStaff(store.db, { email: "ann@example.com", name: "Ann", role: "agent" })).id;
      bob = (await addStaff(store.db, { email: "bob@example.com", name: "Bob", role: "agent" })).id;
    });
    afterAll(async () => {
      await store?.cleanup();
    });
    const rows = async () => store.db.selectFrom("staff_preferences").selectAll().orderBy("staff_id").execute();

    it("is the default until the person saves, then theirs alone, replaced by the next save", async () => {
      expect(await readColumnPrefs(store.db, ann)).toEqual(DEFAULT_COLUMN_PREFS);
      await saveColumnPrefs(store.db, ann, { columns: ["status", "name", "email"], density: "compact" });
      expect(await readColumnPrefs(store.db, ann)).toEqual({ columns: ["status", "name", "email"], density: "compact" });
      expect(await readColumnPrefs(store.db, bob)).toEqual(DEFAULT_COLUMN_PREFS);
      await saveColumnPrefs(store.db, ann, { columns: ["name", "created"], density: "comfortable" });
      expect(await readColumnPrefs(store.db, ann)).toEqual({ columns: ["name", "created"], density: "comfortable" });
      expect((await rows()).filter((r) => r.staff_id === ann)).toHaveLength(1);
    });

    it("refuses bad input with a clear message and changes nothing", async () => {
      const before = await rows();
      const cases: [unknown, string][] = [
        [{ columns: ["name", "salary"], density: "compact" }, "columns: each must be one of name, email, phone, type, status, last_spent, last_purchase, created, contact"],
        [{ columns: ["name", "name"], density: "compact" }, "columns must not repeat a column"],
        [{ columns: ["email"], density: "compact" }, "columns must include name (the row's link)"],
        [{ columns: ["name"], density: "tiny" }, "density must be one of comfortable, compact"],
        [{ columns: "name", density: "compact" }, "columns must be a list"],
      ];
      for (const [input, message] of cases) {
        const err = await saveColumnPrefs(store.db, ann, input).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidQueryError);
        expect((err as InvalidQueryError).body).toContain(message);
      }
      // Attack: a key beside the arrangement (another person's id) is refused, not stored.
      expect(await saveColumnPrefs(store.db, ann, { columns: ["name"], density: "compact", staff_id: bob }).catch((e: unknown) => e)).toBeInstanceOf(InvalidQueryError);
      expect(await rows()).toEqual(before);
    });

    it("reads a stored value that no longer fits (an older version's column) as the default", async () => {
      await store.db.updateTable("staff_preferences").set({ value: JSON.stringify({ columns: ["name", "fax"], density: "compact" }) }).where("staff_id", "=", ann).execute();
      expect(await readColumnPrefs(store.db, ann)).toEqual(DEFAULT_COLUMN_PREFS);
      await store.db.updateTable("staff_preferences").set({ value: "not json" }).where("staff_id", "=", ann).execute();
      expect(await readColumnPrefs(store.db, ann)).toEqual(DEFAULT_COLUMN_PREFS);
    });
  });
}
