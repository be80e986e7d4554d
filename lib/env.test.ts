import { describe, expect, it } from "vitest";
import { readPortalEnv, readShutdownEnv } from "./env";

const base = { NEXTAUTH_SECRET: "x".repeat(32) } as NodeJS.ProcessEnv;

describe("TRUSTED_PROXY_HOPS", () => {
  it("is 1 when unset or blank", () => {
    expect(readPortalEnv(base).TRUSTED_PROXY_HOPS).toBe(1);
    expect(readPortalEnv({ ...base, TRUSTED_PROXY_HOPS: "" }).TRUSTED_PROXY_HOPS).toBe(1);
  });
  it("takes 1 to 10", () => {
    expect(readPortalEnv({ ...base, TRUSTED_PROXY_HOPS: "3" }).TRUSTED_PROXY_HOPS).toBe(3);
  });
  it("refuses anything else in one line naming it", () => {
    for (const bad of ["0", "11", "two", "1.5"]) {
      expect(() => readPortalEnv({ ...base, TRUSTED_PROXY_HOPS: bad })).toThrow(/^TRUSTED_PROXY_HOPS must be a whole number from 1 to 10$/);
    }
  });
});

describe("shutdown settings", () => {
  it("default to a 25 s deadline with a 3 s readiness grace", () => {
    expect(readShutdownEnv({})).toEqual({ SHUTDOWN_DEADLINE_MS: 25_000, SHUTDOWN_READINESS_GRACE_MS: 3_000 });
    expect(readPortalEnv(base)).toMatchObject({ SHUTDOWN_DEADLINE_MS: 25_000, PG_LOCK_TIMEOUT_MS: 3_000 });
  });
  it("refuses a bad value, or a grace as long as the deadline, in one line naming it", () => {
    expect(() => readShutdownEnv({ SHUTDOWN_DEADLINE_MS: "soon" })).toThrow(/^SHUTDOWN_DEADLINE_MS must be a whole number from 1000 to 600000$/);
    expect(() => readShutdownEnv({ SHUTDOWN_DEADLINE_MS: "5000", SHUTDOWN_READINESS_GRACE_MS: "5000" })).toThrow(
      /^SHUTDOWN_READINESS_GRACE_MS must be shorter than SHUTDOWN_DEADLINE_MS$/,
    );
    expect(() => readPortalEnv({ ...base, PG_POOL_MAX: "many" })).toThrow(/^PG_POOL_MAX must be a whole number from 1 to 200$/);
  });
});
