import { describe, expect, it } from "vitest";
import { isSensitiveStatus, readAccessSettings } from "./settings";

describe("access settings", () => {
  it("has sensible defaults: five reasons, BLACKLISTED sensitive", () => {
    const s = readAccessSettings({});
    expect(s.ACCESS_REASONS).toEqual(["Customer support request", "Fraud investigation", "Compliance review", "Chargeback or dispute", "Legal request"]);
    expect(s.SENSITIVE_STATUSES).toEqual(["BLACKLISTED"]);
    expect(isSensitiveStatus("BLACKLISTED", s)).toBe(true);
    expect(isSensitiveStatus("ACTIVE", s)).toBe(false);
    expect(isSensitiveStatus(null, s)).toBe(false);
  });

  it("reads a |-separated list of reasons and a comma-separated list of statuses", () => {
    const s = readAccessSettings({ ACCESS_REASONS: " Support | Fraud ", SENSITIVE_STATUSES: "blacklisted, DEACTIVATED" });
    expect(s.ACCESS_REASONS).toEqual(["Support", "Fraud"]);
    expect(s.SENSITIVE_STATUSES).toEqual(["BLACKLISTED", "DEACTIVATED"]);
    expect(isSensitiveStatus("DEACTIVATED", s)).toBe(true);
  });

  it("refuses a bad setting with one clear line per problem", () => {
    let message = "";
    try {
      readAccessSettings({ ACCESS_REASONS: "Support||Support|a · b", SENSITIVE_STATUSES: "BLACKLISTED,SUSPENDED,,NOPE" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "ACCESS_REASONS has an empty reason (two | in a row, or one at an end)",
      'ACCESS_REASONS: "a · b" must not contain "·" (it separates the reason from the ticket in the audit log)',
      'ACCESS_REASONS names "Support" twice',
      "SENSITIVE_STATUSES has an empty entry (two commas in a row, or one at an end)",
      'SENSITIVE_STATUSES: "SUSPENDED" is not a status Devdraft knows (ACTIVE, BLACKLISTED, DEACTIVATED, DELETED)',
      'SENSITIVE_STATUSES: "NOPE" is not a status Devdraft knows (ACTIVE, BLACKLISTED, DEACTIVATED, DELETED)',
    ]);
    expect(() => readAccessSettings({ ACCESS_REASONS: Array.from({ length: 21 }, (_, i) => `r${i}`).join("|") })).toThrow(/at most 20/);
  });
});
