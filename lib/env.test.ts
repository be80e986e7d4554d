import { describe, expect, it } from "vitest";
import { readPortalEnv } from "./env";

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
