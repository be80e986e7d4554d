import { describe, expect, it } from "vitest";
import { parseListQuery } from "./list-query";

const TAKE_MAX = "take must not be greater than 100";
const TAKE_MIN = "take must not be less than 1";
const TAKE_INT = "take must be an integer number";
const SKIP_MIN = "skip must not be less than 0";
const SKIP_MAX = "skip must not be greater than 10000";
const SKIP_INT = "skip must be an integer number";
const STATUS = "status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED";
const NAME = "name must be shorter than or equal to 100 characters";
const EMAIL = "email must be shorter than or equal to 255 characters";

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
  it.each([
    ["take=", [TAKE_MIN]],
    ["take=0", [TAKE_MIN]],
    ["take=-1", [TAKE_MIN]],
    ["take=101", [TAKE_MAX]],
    ["take=1.5", [TAKE_INT]],
    ["take=abc", [TAKE_MAX, TAKE_MIN, TAKE_INT]],
    ["take=1&take=2", [TAKE_MAX, TAKE_MIN, TAKE_INT]],
    ["take=Infinity", [TAKE_MAX, TAKE_INT]],
    ["skip=-1", [SKIP_MIN]],
    ["skip=10001", [SKIP_MAX]],
    ["skip=2.5", [SKIP_INT]],
    ["skip=x", [SKIP_MIN, SKIP_MAX, SKIP_INT]],
    ["skip=0&skip=0", [SKIP_MIN, SKIP_MAX, SKIP_INT]],
    ["status=active", [STATUS]],
    ["status=DELETED", [STATUS]],
    ["status=", [STATUS]],
    ["status=ACTIVE&status=ACTIVE", [STATUS]],
    [`name=${"a".repeat(101)}`, [NAME]],
    ["name=a&name=b", [NAME]],
    [`email=${"e".repeat(256)}`, [EMAIL]],
    ["email=a&email=b", [EMAIL]],
  ])("%s → %j", (query, expected) => {
    expect(messages(query)).toEqual(expected);
  });

  it("reports every failing rule of every property in declaration order", () => {
    const query = `email=${"e".repeat(256)}&name=${"n".repeat(101)}&status=active&skip=-1&take=101`;
    expect(messages(query)).toEqual([TAKE_MAX, SKIP_MIN, STATUS, NAME, EMAIL]);
    expect(messages("take=1&take=2&skip=10001.5")).toEqual([TAKE_MAX, TAKE_MIN, TAKE_INT, SKIP_MAX, SKIP_INT]);
  });

  it("matches the List page's example body for take=101&skip=-1", () => {
    expect(messages("take=101&skip=-1")).toEqual([TAKE_MAX, SKIP_MIN]);
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
