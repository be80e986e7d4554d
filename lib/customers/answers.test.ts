import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { textFieldsOf } from "@/lib/contract/customer";
import { customerListSchema } from "@/lib/contract/schema";
import { apiMessages, parseContact, parseCustomerRows } from "./answers";

const row = {
  id: "c1",
  first_name: "Ada",
  last_name: null,
  email: "a•••@x.io",
  phone_number: null,
  customer_type: "Startup",
  status: "DELETED",
  last_spent: 12.5,
  currency: null,
  last_purchase_date: null,
  appId: "app",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-02T00:00:00.000Z",
  masked: true,
};

describe("parseCustomerRows", () => {
  it("keeps every row as it came, unknown status and type included", () => {
    expect(parseCustomerRows([row])).toEqual([row]);
  });
  it("reads a missing currency as none (USD) and drops fields it does not draw", () => {
    const { currency: _currency, ...rest } = row;
    expect(parseCustomerRows([{ ...rest, extra: 1 }])).toEqual([{ ...row, currency: null }]);
  });
  it.each([
    ["not an array", { rows: [row] }],
    ["a row without an id", [{ ...row, id: undefined }]],
    ["a number where text belongs", [row, { ...row, email: 5 }]],
    ["text where the amount belongs", [{ ...row, last_spent: "12" }]],
  ])("refuses %s as a whole, never a page with a row missing", (_what, body) => {
    expect(parseCustomerRows(body)).toBeNull();
  });
});

// The browser's zod-free reading must be the contract's list answer, row for row: drawn from values that fit each
// field and values that do not, so both the accepted and the refused side are exercised.
const anyValue = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.double(), fc.boolean(), fc.constant({}));
const fieldValue = (fits: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: fits, weight: 12 }, { arbitrary: anyValue, weight: 1 });
const text = fieldValue(fc.option(fc.string(), { nil: null }));
const candidateRow = fc
  .tuple(
    fc.record({ id: fieldValue(fc.string()), last_spent: fieldValue(fc.option(fc.double({ noNaN: true }), { nil: null })), ...textFieldsOf(() => text) }),
    fc.record({ currency: text, masked: fieldValue(fc.boolean()), app_id: text }, { requiredKeys: [] }),
  )
  .map(([required, optional]) => ({ ...required, ...optional }));

describe("parseCustomerRows is lib/contract/schema.ts's list answer", () => {
  it("accepts what the schema accepts, as the schema reads it, and refuses the rest", () => {
    fc.assert(
      fc.property(fc.array(candidateRow, { maxLength: 3 }), (body) => {
        const contract = customerListSchema.safeParse(body);
        expect(parseCustomerRows(body)).toEqual(contract.success ? contract.data : null);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("parseContact and apiMessages", () => {
  it("reads a Reveal answer and refuses anything else", () => {
    expect(parseContact({ id: "c1", email: "a@x.io", phone_number: null })).toEqual({ email: "a@x.io", phone_number: null });
    expect(parseContact({ email: 1, phone_number: null })).toBeNull();
    expect(parseContact({ statusCode: 403, message: "no", error: "Forbidden" })).toBeNull();
  });
  it("reads Devdraft-shaped error messages, a list or one, and says the status otherwise", () => {
    expect(apiMessages({ statusCode: 400, message: ["a", "b"], error: "Bad Request" }, 400)).toEqual(["a", "b"]);
    expect(apiMessages({ statusCode: 403, message: "no", error: "Forbidden" }, 403)).toEqual(["no"]);
    expect(apiMessages("<html>", 502)).toEqual(["The portal answered 502"]);
  });
});
