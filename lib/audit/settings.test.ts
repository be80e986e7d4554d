import { describe, expect, it } from "vitest";
import { readAuditSettings } from "./settings";

describe("readAuditSettings", () => {
  it("defaults to 400 days, 500 customers per hour, a 15-minute verification interval and 20 full refusals a minute", () => {
    expect(readAuditSettings({})).toEqual({
      AUDIT_RETENTION_DAYS: 400,
      AUDIT_ALERT_CUSTOMERS_PER_HOUR: 500,
      AUDIT_ALERT_CHECK_INTERVAL_MS: 60_000,
      AUDIT_VERIFY_INTERVAL_MS: 900_000,
      AUDIT_FULL_REFUSALS_PER_MINUTE: 20,
    });
  });

  it("reads whole positive numbers and names each bad setting on its own line", () => {
    expect(
      readAuditSettings({
        AUDIT_RETENTION_DAYS: "366",
        AUDIT_ALERT_CUSTOMERS_PER_HOUR: " 50 ",
        AUDIT_VERIFY_INTERVAL_MS: "60000",
        AUDIT_FULL_REFUSALS_PER_MINUTE: "3",
      }),
    ).toEqual({
      AUDIT_RETENTION_DAYS: 366,
      AUDIT_ALERT_CUSTOMERS_PER_HOUR: 50,
      AUDIT_ALERT_CHECK_INTERVAL_MS: 60_000,
      AUDIT_VERIFY_INTERVAL_MS: 60_000,
      AUDIT_FULL_REFUSALS_PER_MINUTE: 3,
    });
    expect(() => readAuditSettings({ AUDIT_RETENTION_DAYS: "0", AUDIT_ALERT_CUSTOMERS_PER_HOUR: "lots" })).toThrow(
      "AUDIT_RETENTION_DAYS must be a whole number from 1 to 36500\nAUDIT_ALERT_CUSTOMERS_PER_HOUR must be a whole number from 1 to 1000000",
    );
    expect(readAuditSettings({ AUDIT_ALERT_CHECK_INTERVAL_MS: "2000" }).AUDIT_ALERT_CHECK_INTERVAL_MS).toBe(2000);
    expect(() => readAuditSettings({ AUDIT_ALERT_CHECK_INTERVAL_MS: "999" })).toThrow(
      "AUDIT_ALERT_CHECK_INTERVAL_MS must be a whole number from 1000 to 3600000",
    );
  });
});
