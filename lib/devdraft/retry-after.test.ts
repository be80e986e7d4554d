import { describe, expect, it } from "vitest";
import { readRetryAfterMs } from "./retry-after";

const NOW = Date.parse("2025-01-01T00:00:00Z");
const headers = (value?: string) => new Headers(value === undefined ? {} : { "retry-after": value });

describe("readRetryAfterMs", () => {
  it("reads the Retry-After header in seconds", () => {
    expect(readRetryAfterMs(headers("7"), undefined, NOW)).toBe(7_000);
  });

  it("reads the Retry-After header as an HTTP date", () => {
    expect(readRetryAfterMs(headers("Wed, 01 Jan 2025 00:00:30 GMT"), undefined, NOW)).toBe(30_000);
    expect(readRetryAfterMs(headers("Tue, 31 Dec 2024 00:00:00 GMT"), undefined, NOW)).toBe(0);
  });

  it("reads the List page's retry_after and the spec's retryAfter", () => {
    expect(readRetryAfterMs(headers(), { retry_after: 60 }, NOW)).toBe(60_000);
    expect(readRetryAfterMs(headers(), { retryAfter: 2.5 }, NOW)).toBe(2_500);
    expect(readRetryAfterMs(headers(), { retryAfter: "4" }, NOW)).toBe(4_000);
  });

  it("takes the longest delay when several are given", () => {
    expect(readRetryAfterMs(headers("3"), { retry_after: 10, retryAfter: 5 }, NOW)).toBe(10_000);
  });

  it("returns undefined when nothing readable is there", () => {
    expect(readRetryAfterMs(headers("soon"), { retry_after: -1, retryAfter: null }, NOW)).toBeUndefined();
    expect(readRetryAfterMs(headers(), "Too many requests", NOW)).toBeUndefined();
  });
});
