import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CUSTOMER_STATUSES, coerceViewQuery, readRawQuery, toSearchParams, viewHref, type CustomersQuery } from "./query";
import { validateCustomersQuery } from "./schema";
import { QUERY_CASES, QUERY_MESSAGES } from "@/test/support/query-cases";

const { TAKE_GT, TAKE_LT, TAKE_INT, SKIP_GT, SKIP_LT, SKIP_INT, STATUS } = QUERY_MESSAGES;

const messagesFor = (search: string) => {
  const result = validateCustomersQuery(new URLSearchParams(search));
  return result.ok ? [] : result.messages;
};
const queryFor = (search: string) => {
  const result = validateCustomersQuery(new URLSearchParams(search));
  if (!result.ok) throw new Error(`unexpected messages: ${result.messages.join(", ")}`);
  return result.query;
};

describe("validateCustomersQuery: Devdraft's messages", () => {
  it.each(QUERY_CASES)("%s → %j", (search, expected) => {
    expect(messagesFor(search)).toEqual(expected);
  });

  it("accepts what Number() accepts, as Devdraft does", () => {
    expect(queryFor("take=0x10&skip=1e3")).toEqual({ take: 16, skip: 1000 });
    expect(queryFor("take=0b11&skip=0o17")).toEqual({ take: 3, skip: 15 });
    expect(queryFor("take=%2B25&skip=%2012%20")).toEqual({ take: 25, skip: 12 });
    expect(queryFor("take=5.&skip=.0")).toEqual({ take: 5, skip: 0 });
    expect(queryFor("take=100&skip=10000")).toEqual({ take: 100, skip: 10000 });
  });

  it("normalises -0 to 0 so equal views share a key", () => {
    expect(Object.is(queryFor("skip=-0").skip, 0)).toBe(true);
  });

  it("applies the defaults and ignores unknown parameters", () => {
    expect(queryFor("page=3&sort=name&take[]=7")).toEqual({ take: 10, skip: 0 });
  });

  it("keeps filters and drops empty name and email, which filter nothing", () => {
    expect(queryFor("status=BLACKLISTED&name=jo&email=@gmail.com")).toEqual({
      take: 10,
      skip: 0,
      status: "BLACKLISTED",
      name: "jo",
      email: "@gmail.com",
    });
    expect(queryFor("name=&email=")).toEqual({ take: 10, skip: 0 });
  });

  it("reads Next's searchParams records like URL parameters", () => {
    expect(validateCustomersQuery({ take: ["1", "2"], skip: "5", other: "x" })).toEqual({
      ok: false,
      messages: [TAKE_GT, TAKE_LT, TAKE_INT],
    });
    expect(validateCustomersQuery({ take: ["25"], skip: undefined, status: "ACTIVE" })).toEqual({
      ok: true,
      query: { take: 25, skip: 0, status: "ACTIVE" },
    });
    expect(validateCustomersQuery({ name: [] })).toEqual({ ok: true, query: { take: 10, skip: 0 } });
  });
});

describe("coerceViewQuery", () => {
  it("falls back per field and says why with Devdraft's message", () => {
    const { query, corrections } = coerceViewQuery(new URLSearchParams("take=500&skip=40&status=nope&name=jo"));
    expect(query).toEqual({ take: 10, skip: 40, name: "jo" });
    expect(corrections).toEqual([
      { field: "take", message: TAKE_GT },
      { field: "status", message: STATUS },
    ]);
  });

  it("joins every failing rule of one field into one correction", () => {
    expect(coerceViewQuery({ skip: "x" }).corrections).toEqual([{ field: "skip", message: `${SKIP_LT}; ${SKIP_GT}; ${SKIP_INT}` }]);
  });

  it("honours any valid page size, not only the menu's", () => {
    expect(coerceViewQuery({ take: "37" })).toEqual({ query: { take: 37, skip: 0 }, corrections: [] });
  });

  it("reads an empty status as no filter without a correction", () => {
    expect(coerceViewQuery({ status: "", name: "" })).toEqual({ query: { take: 10, skip: 0 }, corrections: [] });
  });
});

describe("toSearchParams and viewHref", () => {
  it("sends every field explicitly in a fixed order", () => {
    const query: CustomersQuery = { email: "a@b", name: "Jo Ann", status: "ACTIVE", skip: 0, take: 10 };
    expect(toSearchParams(query).toString()).toBe("take=10&skip=0&status=ACTIVE&name=Jo+Ann&email=a%40b");
    expect(toSearchParams({ take: 25, skip: 50 }).toString()).toBe("take=25&skip=50");
  });

  it("builds page links without defaults", () => {
    expect(viewHref({ take: 10, skip: 0 })).toBe("/customers");
    expect(viewHref({ take: 25, skip: 50, status: "ACTIVE", name: "jo" })).toBe("/customers?status=ACTIVE&name=jo&skip=50&take=25");
    expect(viewHref({ take: 10, skip: 10, email: "x" }, "/api/customers")).toBe("/api/customers?email=x&skip=10");
  });
});

const rawValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
const rawRecord = fc.dictionary(fc.oneof(fc.constantFrom("take", "skip", "status", "name", "email", "__proto__", "constructor"), fc.string()), rawValue);
const validQuery = fc.record(
  {
    take: fc.integer({ min: 1, max: 100 }),
    skip: fc.integer({ min: 0, max: 10_000 }),
    status: fc.constantFrom(...CUSTOMER_STATUSES),
    name: fc.string({ minLength: 1, maxLength: 50 }),
    email: fc.string({ minLength: 1, maxLength: 120 }),
  },
  { requiredKeys: ["take", "skip"] },
);

// The shape every answered query must have, stated independently of the validator under test.
const customersQuerySchema = z.strictObject({
  take: z.int().min(1).max(100),
  skip: z.int().min(0).max(10_000),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  name: z.string().min(1).max(100).optional(),
  email: z.string().min(1).max(255).optional(),
});

describe("properties", () => {
  it("never throws on arbitrary parameter records and always answers one of the two shapes", () => {
    fc.assert(
      fc.property(rawRecord, (params) => {
        const result = validateCustomersQuery(params);
        if (result.ok) expect(customersQuerySchema.safeParse(result.query).success).toBe(true);
        else expect(result.messages.length).toBeGreaterThan(0);
        const coerced = coerceViewQuery(params);
        expect(customersQuerySchema.safeParse(coerced.query).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("the browser's lenient reading agrees with the contract: the same query, or a correction for each message", () => {
    fc.assert(
      fc.property(rawRecord, (params) => {
        const contract = validateCustomersQuery(params);
        const { query, corrections } = coerceViewQuery(params);
        if (contract.ok) expect({ query, corrections }).toEqual({ query: contract.query, corrections: [] });
        // The page reads an empty status as "any" (a form's option), where the contract refuses it.
        else if (readRawQuery(params).status !== "") expect(corrections.flatMap((c) => c.message.split("; "))).toEqual(contract.messages);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary query strings", () => {
    fc.assert(
      fc.property(fc.string(), (search) => {
        expect(() => validateCustomersQuery(new URLSearchParams(search))).not.toThrow();
      }),
    );
  });

  it("round-trips valid queries through toSearchParams and viewHref", () => {
    fc.assert(
      fc.property(validQuery, (query) => {
        expect(validateCustomersQuery(toSearchParams(query))).toEqual({ ok: true, query });
        const href = viewHref(query);
        const search = new URL(href, "http://portal.test").searchParams;
        expect(validateCustomersQuery(search)).toEqual({ ok: true, query });
      }),
      { numRuns: 500 },
    );
  });
});
