import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidQueryError } from "@/lib/errors";
import { readLocalePref, saveLocalePref } from "@/lib/locale/preference";
import { openStoreWithAgents, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { readColumnPrefs, saveColumnPrefs } from "./column-prefs";
import { DEFAULT_COLUMN_PREFS } from "./columns";

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`staff preferences (columns, then the language beside them) on ${kind}`, () => {
    let opened: { store: TestStore; ids: string[] } | undefined;
    beforeAll(async () => {
      opened = await openStoreWithAgents(kind, ["Ann", "Bob"]);
    });
    afterAll(async () => opened?.store.cleanup());
    const db = () => opened!.store.db;
    const ann = () => opened!.ids[0]!;
    const bob = () => opened!.ids[1]!;
    const rows = async () => db().selectFrom("staff_preferences").selectAll().orderBy("staff_id").orderBy("key").execute();

    it("is the default until the person saves, then theirs alone, replaced by the next save", async () => {
      expect(await readColumnPrefs(db(), ann())).toEqual(DEFAULT_COLUMN_PREFS);
      await saveColumnPrefs(db(), ann(), { columns: ["status", "name", "email"], density: "compact", widths: { email: "wide", status: "narrow" } });
      expect(await readColumnPrefs(db(), ann())).toEqual({
        columns: ["status", "name", "email"],
        density: "compact",
        widths: { email: "wide", status: "narrow" },
      });
      expect(await readColumnPrefs(db(), bob())).toEqual(DEFAULT_COLUMN_PREFS);
      // Without widths (a script, or a value saved before widths existed): every column normal.
      await saveColumnPrefs(db(), ann(), { columns: ["name", "created"], density: "comfortable" });
      expect(await readColumnPrefs(db(), ann())).toEqual({ columns: ["name", "created"], density: "comfortable", widths: {} });
      expect((await rows()).filter((r) => r.staff_id === ann())).toHaveLength(1);
    });

    it("refuses bad input with a clear message and changes nothing", async () => {
      const before = await rows();
      const cases: [unknown, string][] = [
        [
          { columns: ["name", "salary"], density: "compact" },
          "columns: each must be one of name, email, phone, type, status, last_spent, last_purchase, created, contact",
        ],
        [{ columns: ["name", "name"], density: "compact" }, "columns must not repeat a column"],
        [{ columns: ["email"], density: "compact" }, "columns must include name (the row's link)"],
        [{ columns: ["name"], density: "tiny" }, "density must be one of comfortable, compact"],
        [{ columns: "name", density: "compact" }, "columns must be a list"],
        [{ columns: ["name"], density: "compact", widths: { name: "huge" } }, "widths: each width must be one of narrow, normal, wide"],
        [
          { columns: ["name"], density: "compact", widths: { salary: "wide" } },
          "widths must be an object whose keys are among name, email, phone, type, status, last_spent, last_purchase, created, contact",
        ],
        [
          { columns: ["name"], density: "compact", widths: ["wide"] },
          "widths must be an object whose keys are among name, email, phone, type, status, last_spent, last_purchase, created, contact",
        ],
      ];
      for (const [input, message] of cases) {
        const err = await saveColumnPrefs(db(), ann(), input).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidQueryError);
        expect((err as InvalidQueryError).body).toContain(message);
      }
      // Attack: a key beside the arrangement (another person's id) is refused, not stored.
      expect(await saveColumnPrefs(db(), ann(), { columns: ["name"], density: "compact", staff_id: bob() }).catch((e: unknown) => e)).toBeInstanceOf(
        InvalidQueryError,
      );
      expect(await rows()).toEqual(before);
    });

    it("reads a stored value that no longer fits (an older version's column) as the default", async () => {
      await db()
        .updateTable("staff_preferences")
        .set({ value: JSON.stringify({ columns: ["name", "fax"], density: "compact" }) })
        .where("staff_id", "=", ann())
        .execute();
      expect(await readColumnPrefs(db(), ann())).toEqual(DEFAULT_COLUMN_PREFS);
      await db().updateTable("staff_preferences").set({ value: "not json" }).where("staff_id", "=", ann()).execute();
      expect(await readColumnPrefs(db(), ann())).toEqual(DEFAULT_COLUMN_PREFS);
    });

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
