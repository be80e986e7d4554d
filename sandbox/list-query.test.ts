import { describe, expect, it } from "vitest";
import { QUERY_CASES } from "../test/support/query-cases";
import { parseListQuery } from "./list-query";

function messages(query: string): string[] {
  const result = parseListQuery(new URLSearchParams(query));
  return result.ok ? [] : result.messages;
}

function accepted(query: string) {
  const result = parseListQuery(new URLSearchParams(query));
  if (!result.ok) throw new Error(`rejected ${query}: ${result.messages.join("; ")}`);
  return result.query;
}

describe("list query validation (class-validator semantics)", () => {
  it.each(QUERY_CASES)("%s → %j", (query, expected) => {
    expect(messages(query)).toEqual(expected);
  });

  it("converts with Number(): hex, exponent, whitespace and defaults", () => {
    expect(accepted("take=0x10").take).toBe(16);
    expect(accepted("skip=1e3").skip).toBe(1000);
    expect(accepted("take=%2025%20").take).toBe(25);
    expect(accepted("")).toEqual({ take: 10, skip: 0 });
    expect(accepted("take=100&skip=10000")).toEqual({ take: 100, skip: 10000 });
  });

  it("keeps filters, counts characters as validator.js does, ignores unknown params", () => {
    expect(accepted("status=BLACKLISTED&name=Jo&email=@gmail.com&page=3&foo=bar")).toEqual({
      take: 10,
      skip: 0,
      status: "BLACKLISTED",
      name: "Jo",
      email: "@gmail.com",
    });
    expect(accepted(`name=${"😀".repeat(100)}`).name).toHaveLength(200);
    expect(accepted(`name=${"a".repeat(100)}`).name).toHaveLength(100);
    expect(accepted("name=").name).toBe("");
  });
});
