import fc from "fast-check";
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/min";
import { describe, expect, it } from "vitest";
import { generateCustomers } from "@/sandbox/data";
import { callingCodeOf, maskEmail, maskPhone } from "./mask";

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

// The numbering plan's own parser is the reference: the table lookup must name the same calling code.
describe("callingCodeOf agrees with libphonenumber's parser", () => {
  const codes = [...new Set(getCountries().map((c) => getCountryCallingCode(c)))];

  it("on every phone number the sandbox generates", () => {
    const phones = generateCustomers(5000, 7).customers.flatMap((c) => (c.phone_number ? [c.phone_number] : []));
    expect(phones.length).toBeGreaterThan(1000);
    for (const phone of phones) expect(callingCodeOf(phone), phone).toBe(parsePhoneNumberFromString(phone)?.countryCallingCode);
  });

  it("on international numbers in any layout", () => {
    const separator = fc.constantFrom("", " ", "-", ".", " (", ") ");
    const number = fc.record({
      code: fc.constantFrom(...codes),
      groups: fc.array(fc.stringMatching(/^[0-9]{1,4}$/), { minLength: 2, maxLength: 5 }),
      seps: fc.array(separator, { minLength: 5, maxLength: 5 }),
    });
    fc.assert(
      fc.property(number, ({ code, groups, seps }) => {
        const phone = `+${code}${groups.map((g, i) => `${seps[i] ?? ""}${g}`).join("")}`;
        const national = groups.join("").length;
        const expected = national > 4 ? parsePhoneNumberFromString(phone)?.countryCallingCode : undefined;
        if (expected !== undefined) expect(callingCodeOf(phone), phone).toBe(expected);
        if (national <= 4) expect(callingCodeOf(phone), phone).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it("names no code for a number without a leading +", () => {
    expect(callingCodeOf("0033 5 52 19 99 18")).toBeUndefined();
  });
});
