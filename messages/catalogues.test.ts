import { describe, expect, it } from "vitest";
import { negotiateLocale } from "@/lib/i18n/locales";
import { translator, type Catalogue } from "@/lib/i18n/translate";
import { de } from "./de";
import { en } from "./en";

// Every key in one language is in the other, and every placeholder a message fills in is in its translation too.

function entries(catalogue: Catalogue, prefix = ""): [string, string][] {
  return Object.entries(catalogue).flatMap(([key, value]): [string, string][] => {
    const path = `${prefix}${key}`;
    if (typeof value === "string") return [[path, value]];
    if ("other" in value && typeof value.other === "string") return Object.entries(value).map(([form, text]) => [`${path}#${form}`, String(text)]);
    return entries(value as Catalogue, `${path}.`);
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the message catalogues", () => {
  const english = new Map(entries(en));
  const german = new Map(entries(de));

  it("have the same keys in English and German", () => {
    expect([...german.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !german.has(k))).toEqual([]);
  });

  it("fill in the same placeholders, and no message is blank", () => {
    for (const [key, text] of english) {
      expect(placeholders(german.get(key) ?? ""), key).toEqual(key === "errors.serverSaid" ? ["message"] : placeholders(text));
      expect(text.trim(), key).not.toBe("");
      expect(german.get(key)?.trim(), key).not.toBe("");
    }
  });

  it("use `one`/`other` only for plurals: a group of messages with an `other` key would be read as one plural", () => {
    const misread = [...english.keys()]
      .filter((k) => k.includes("#"))
      .map((k) => k.split("#")[1])
      .filter((form) => form !== "one" && form !== "other");
    expect(misread).toEqual([]);
  });

  it("would notice a key missing from one language (the check above is not vacuous)", () => {
    const lacking = structuredClone(de) as Catalogue;
    delete (lacking.customers as Catalogue).title;
    expect(entries(lacking).length).toBe(english.size - 1);
  });
});

describe("translating", () => {
  it("fills placeholders, formats numbers for the locale, and answers an unknown key with itself", () => {
    const t = translator("de", de);
    expect(t("customers.emptyPageTitle", { after: 12500 })).toBe("Keine Kunden nach Zeile 12.500");
    expect(translator("en", en)("customers.emptyPageTitle", { after: 12500 })).toBe("No customers after row 12,500");
    expect(t("no.such.key")).toBe("no.such.key");
    // The pager's line, counting from one, in both languages.
    expect(translator("en", en)("customers.showing", { from: 26, to: 50 })).toBe("Showing 26–50");
    expect(t("customers.showing", { from: 1001, to: 1025 })).toBe("Zeige 1.001–1.025");
  });

  it("picks plural forms by the locale's rules", () => {
    const t = translator("en", { n: { one: "{count} row", other: "{count} rows" } });
    expect([t("n", { count: 1 }), t("n", { count: 2 })]).toEqual(["1 row", "2 rows"]);
  });

  it("takes the browser's best-weighted language the portal speaks, English otherwise", () => {
    expect(negotiateLocale("de-AT,de;q=0.9,en;q=0.8")).toBe("de");
    expect(negotiateLocale("fr-FR, en;q=0.5, de;q=0.7")).toBe("de");
    expect(negotiateLocale("fr, de;q=0")).toBe("en");
    expect(negotiateLocale(undefined)).toBe("en");
    expect(negotiateLocale("*")).toBe("en");
  });
});
