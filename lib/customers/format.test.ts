import { describe, expect, it } from "vitest";
import { formatDate, formatMoney, fullName, highlightParts } from "./format";

describe("formatMoney", () => {
  it("formats an amount as US dollars when Devdraft names no currency", () => {
    expect(formatMoney(1234.5)).toBe("$1,234.50");
    expect(formatMoney(0, null)).toBe("$0.00");
  });
  it("uses the currency Devdraft names", () => {
    expect(formatMoney(10, "eur")).toBe("€10.00");
  });
  it("falls back to USD for a code that is not ISO 4217 shaped", () => {
    expect(formatMoney(5, "dollars")).toBe("$5.00");
  });
  it("returns null for a missing or non-finite amount instead of showing $NaN", () => {
    expect(formatMoney(null)).toBeNull();
    expect(formatMoney(undefined)).toBeNull();
    expect(formatMoney(Number.NaN)).toBeNull();
  });
});

describe("formatDate", () => {
  it("gives a readable date in the requested zone and the exact ISO instant", () => {
    expect(formatDate("2024-03-05T23:30:00Z", { timeZone: "UTC" })).toEqual({ label: "Mar 5, 2024", iso: "2024-03-05T23:30:00.000Z" });
  });
  it("shows the local calendar day, not the UTC one", () => {
    expect(formatDate("2024-03-05T23:30:00Z", { timeZone: "Asia/Tokyo" })?.label).toBe("Mar 6, 2024");
  });
  it("includes the time of day when asked", () => {
    expect(formatDate("2024-03-05T09:07:00Z", { timeZone: "UTC", withTime: true })?.label).toBe("Mar 5, 2024, 09:07 AM");
  });
  it("returns null for a missing or unreadable date instead of Invalid Date", () => {
    expect(formatDate(null)).toBeNull();
    expect(formatDate("")).toBeNull();
    expect(formatDate("not a date")).toBeNull();
  });
});

describe("highlightParts", () => {
  it("marks every case-insensitive occurrence and keeps the original casing", () => {
    expect(highlightParts("Anna Hannah", "an")).toEqual([
      { text: "An", match: true },
      { text: "na H", match: false },
      { text: "an", match: true },
      { text: "nah", match: false },
    ]);
  });
  it("joins back to the original text", () => {
    const text = "jo.johnson@example.com";
    expect(
      highlightParts(text, "JO")
        .map((p) => p.text)
        .join(""),
    ).toBe(text);
  });
  it("returns the whole text unmarked when there is no needle or no match", () => {
    expect(highlightParts("Ada", "")).toEqual([{ text: "Ada", match: false }]);
    expect(highlightParts("Ada", undefined)).toEqual([{ text: "Ada", match: false }]);
    expect(highlightParts("Ada", "zz")).toEqual([{ text: "Ada", match: false }]);
  });
  it("returns no parts for empty text", () => {
    expect(highlightParts("", "a")).toEqual([]);
  });
});

describe("fullName", () => {
  it("joins the parts that exist", () => {
    expect(fullName("Ada", "Lovelace")).toBe("Ada Lovelace");
    expect(fullName(null, "Lovelace")).toBe("Lovelace");
    expect(fullName(null, " ")).toBe("(no name)");
  });
});
