import { afterEach, describe, expect, it, vi } from "vitest";
import { startAuditSchedule } from "./schedule";

describe("startAuditSchedule", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts once per process and stops cleanly, without running jobs before their first delay", async () => {
    vi.useFakeTimers();
    const first = startAuditSchedule();
    expect(startAuditSchedule()).toBe(first);
    await first.stop();
    expect(startAuditSchedule()).not.toBe(first);
    await startAuditSchedule().stop();
  });

  it("refuses a malformed interval setting with its name", () => {
    vi.stubEnv("AUDIT_VERIFY_INTERVAL_MS", "soon");
    try {
      expect(() => startAuditSchedule()).toThrow("AUDIT_VERIFY_INTERVAL_MS must be a whole number");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
