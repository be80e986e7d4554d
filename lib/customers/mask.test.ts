import { describe, expect, it } from "vitest";
import { maskEmail, maskPhone } from "./mask";

describe("maskEmail", () => {
  it("keeps the first character and the domain", () => {
    expect(maskEmail("jane.doe@example.com")).toBe("j•••@example.com");
  });
  it("keeps a non-Latin first character whole", () => {
    expect(maskEmail("Ωmega@example.gr")).toBe("Ω•••@example.gr");
  });
  it("hides a value that is not an email entirely", () => {
    expect(maskEmail("not-an-email")).toBe("•••");
  });
  it("passes null through", () => {
    expect(maskEmail(null)).toBeNull();
  });
});

describe("maskPhone", () => {
  it("keeps the country code and the last four digits", () => {
    expect(maskPhone("+1 (555) 123-4567")).toBe("+1 •••-•••-4567");
  });
  it("finds the country code of a number written without separators", () => {
    expect(maskPhone("+33552199918")).toBe("+33 •••-•••-9918");
    expect(maskPhone("+15551234567")).toBe("+1 •••-•••-4567");
  });
  it("keeps only the last four digits without a country code", () => {
    expect(maskPhone("030 1234 5678")).toBe("•••-•••-5678");
  });
  it("never shows more than four digits", () => {
    const masked = maskPhone("+44 20 7946 0958") ?? "";
    expect(masked.replace(/\D/g, "")).toBe("440958");
  });
});
