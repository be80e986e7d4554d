import { afterEach, describe, expect, it, vi } from "vitest";
import { storeConfigFromEnv } from "@/lib/db/config";
import { getDb } from "@/lib/db/get-db";
import { closeServices, services } from "@/lib/services";
import { startAuditSchedule } from "./schedule";

describe("startAuditSchedule", () => {
  afterEach(async () => {
    vi.useRealTimers();
    await closeServices();
  });

  it("starts once per process (the services hold it) and stops cleanly, without running jobs before their first delay", async () => {
    vi.useFakeTimers();
    const first = services().startAuditSchedule();
    expect(services().startAuditSchedule()).toBe(first);
    await services().stopJob("auditSchedule");
    const again = services().startAuditSchedule();
    expect(again).not.toBe(first);
    await services().stopJob("auditSchedule");
  });

  it("refuses a malformed interval setting with its name", () => {
    vi.stubEnv("AUDIT_VERIFY_INTERVAL_MS", "soon");
    try {
      expect(() => startAuditSchedule({ db: getDb, storeConfig: storeConfigFromEnv() })).toThrow("AUDIT_VERIFY_INTERVAL_MS must be a whole number");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
