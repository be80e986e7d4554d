import { afterEach, describe, expect, it, vi } from "vitest";
import { storeConfigFromEnv } from "@/lib/db/config";
import { getDb } from "@/lib/db/get-db";
import { startAuditSchedule } from "./schedule";

const onTheStore = () => ({ db: getDb, storeConfig: storeConfigFromEnv() });

describe("startAuditSchedule", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts once per process and stops cleanly, without running jobs before their first delay", async () => {
    vi.useFakeTimers();
    const first = startAuditSchedule(onTheStore());
    expect(startAuditSchedule(onTheStore())).toBe(first);
    await first.stop();
    expect(startAuditSchedule(onTheStore())).not.toBe(first);
    await startAuditSchedule(onTheStore()).stop();
  });

  it("refuses a malformed interval setting with its name", () => {
    vi.stubEnv("AUDIT_VERIFY_INTERVAL_MS", "soon");
    try {
      expect(() => startAuditSchedule(onTheStore())).toThrow("AUDIT_VERIFY_INTERVAL_MS must be a whole number");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
