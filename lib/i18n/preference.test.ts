import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readColumnPrefs, saveColumnPrefs } from "@/lib/customers/column-prefs";
import { InvalidQueryError } from "@/lib/errors";
import { openStoreWithAgents, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { readLocalePref, saveLocalePref } from "./preference";

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`a person's language on ${kind}`, () => {
    let opened: { store: TestStore; ids: string[] } | undefined;
    beforeAll(async () => {
      opened = await openStoreWithAgents(kind, ["Ann", "Bob"]);
    });
    afterAll(async () => opened?.store.cleanup());
    const db = () => opened!.store.db;
    const ann = () => opened!.ids[0]!;
    const bob = () => opened!.ids[1]!;
    const rows = async () => db().selectFrom("staff_preferences").selectAll().orderBy("staff_id").orderBy("key").execute();

    it("is none (the browser decides) until chosen, then the person's own, beside their columns", async () => {
      expect(await readLocalePref(db(), ann())).toBeNull();
      await saveColumnPrefs(db(), ann(), { columns: ["name", "email"], density: "compact" });
      expect(await saveLocalePref(db(), ann(), { locale: "de" })).toEqual({ locale: "de" });
      expect(await readLocalePref(db(), ann())).toBe("de");
      expect(await readLocalePref(db(), bob())).toBeNull();
      // The two preferences live side by side: saving one leaves the other alone.
      expect((await readColumnPrefs(db(), ann())).columns).toEqual(["name", "email"]);
      await saveLocalePref(db(), ann(), { locale: "en" });
      expect(await readLocalePref(db(), ann())).toBe("en");
    });

    it("refuses a language the portal does not speak, or anything beside it, and changes nothing", async () => {
      const before = await rows();
      const cases: [unknown, string][] = [
        [{ locale: "fr" }, "locale must be one of en, de"],
        [{ locale: "de-DE" }, "locale must be one of en, de"],
        [{}, "locale must be one of en, de"],
        ["de", "expected { locale }"],
        [null, "expected { locale }"],
      ];
      for (const [input, message] of cases) {
        const err = await saveLocalePref(db(), ann(), input).catch((e: unknown) => e);
        expect(err, JSON.stringify(input)).toBeInstanceOf(InvalidQueryError);
        expect((err as InvalidQueryError).body).toContain(message);
      }
      // Attack: another person's id beside the language is refused, not stored for them.
      expect(await saveLocalePref(db(), ann(), { locale: "de", staff_id: bob() }).catch((e: unknown) => e)).toBeInstanceOf(InvalidQueryError);
      expect(await rows()).toEqual(before);
      expect(await readLocalePref(db(), bob())).toBeNull();
    });

    it("reads a stored value it does not know as none", async () => {
      await db()
        .updateTable("staff_preferences")
        .set({ value: JSON.stringify("klingon") })
        .where("staff_id", "=", ann())
        .where("key", "=", "locale")
        .execute();
      expect(await readLocalePref(db(), ann())).toBeNull();
      await db().updateTable("staff_preferences").set({ value: "not json" }).where("staff_id", "=", ann()).where("key", "=", "locale").execute();
      expect(await readLocalePref(db(), ann())).toBeNull();
    });
  });
}
