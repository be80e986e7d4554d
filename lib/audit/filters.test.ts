import { describe, expect, it } from "vitest";
import { AUDIT_LIMIT_DEFAULT, decodeCursor, encodeCursor, filterToParams, parseAuditFilter } from "./filters";

function messages(params: Record<string, string | string[]>): string[] {
  const result = parseAuditFilter(params);
  return result.ok ? [] : result.messages;
}

describe("parseAuditFilter", () => {
  it("defaults the limit and treats blank form fields as absent", () => {
    expect(parseAuditFilter(new URLSearchParams("actor=&action=&customer=&outcome=&from=&to=&cursor="))).toEqual({
      ok: true,
      filter: { limit: AUDIT_LIMIT_DEFAULT },
    });
  });

  it("accepts every filter and normalises times to the stored ISO form", () => {
    const result = parseAuditFilter({
      actor: " Agent@Demo.local ",
      action: "customer.view",
      customer: "cus_1",
      outcome: "denied",
      from: "2026-01-02T03:04:05+01:00",
      to: "2026-01-03",
      limit: "200",
    });
    expect(result).toEqual({
      ok: true,
      filter: {
        actor: "Agent@Demo.local",
        action: "customer.view",
        customer: "cus_1",
        outcome: "denied",
        from: "2026-01-02T02:04:05.000Z",
        to: "2026-01-04T00:00:00.000Z",
        limit: 200,
      },
    });
  });

  it("reads a zone-less datetime-local value as UTC and a bare from date as the start of that day", () => {
    expect(parseAuditFilter({ from: "2026-01-02", to: "2026-01-02T10:30" })).toMatchObject({
      filter: { from: "2026-01-02T00:00:00.000Z", to: "2026-01-02T10:30:00.000Z" },
    });
  });

  it("rejects limits outside 1–200 and non-integers with class-validator style messages", () => {
    expect(messages({ limit: "0" })).toEqual(["limit must not be less than 1"]);
    expect(messages({ limit: "201" })).toEqual(["limit must not be greater than 200"]);
    expect(messages({ limit: "2.5" })).toEqual(["limit must be an integer number"]);
    expect(messages({ limit: "ten" })).toEqual(["limit must be an integer number"]);
  });

  it("rejects unknown outcomes, malformed actions and times, inverted ranges, repeated keys and foreign cursors", () => {
    expect(messages({ outcome: "maybe" })[0]).toMatch(/^outcome must be one of the following values: ok, denied/);
    expect(messages({ action: "DROP TABLE" })).toEqual(["action must look like `customer.view`"]);
    expect(messages({ from: "yesterday" })).toEqual(["from must be an ISO 8601 date or date-time"]);
    expect(messages({ from: "2026-02-01", to: "2026-01-01" })).toEqual(["from must be before to"]);
    expect(messages({ actor: ["a", "b"] })).toEqual(["actor must be given once"]);
    expect(messages({ cursor: "not a cursor!" })).toEqual(["cursor is not one this server issued"]);
    expect(messages({ cursor: Buffer.from("-5").toString("base64url") })).toEqual(["cursor is not one this server issued"]);
  });
});

describe("cursors", () => {
  it("round-trip both directions and stay opaque base64url", () => {
    for (const cursor of [
      { seq: 1, dir: "older" as const },
      { seq: 5_000_000, dir: "newer" as const },
    ]) {
      const text = encodeCursor(cursor);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text)).toEqual(cursor);
    }
    expect(decodeCursor(Buffer.from("0").toString("base64url"))).toBeNull();
  });
});

describe("filterToParams", () => {
  it("keeps the filters, drops the default limit, adds extras", () => {
    expect(filterToParams({ actor: "a@b", limit: 50 }, { format: "csv" }).toString()).toBe("actor=a%40b&format=csv");
    expect(filterToParams({ limit: 10 }).toString()).toBe("limit=10");
  });
});
