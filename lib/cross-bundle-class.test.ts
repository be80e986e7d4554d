import { describe, expect, it, vi } from "vitest";

// Two imports after a module reset are two copies of the same classes, as two Next chunks would hold.
async function twoCopies() {
  const a = await import("@/lib/devdraft/errors");
  const auth = await import("@/lib/auth/session");
  vi.resetModules();
  const b = await import("@/lib/devdraft/errors");
  const authB = await import("@/lib/auth/session");
  return { a, b, auth, authB };
}

describe("errors recognised across bundles", () => {
  it("a DevdraftError made by one copy of the module is an instance for the other copy", async () => {
    const { a, b } = await twoCopies();
    expect(a.DevdraftError).not.toBe(b.DevdraftError);
    const err = new a.DevdraftError("timeout");
    expect(err instanceof b.DevdraftError).toBe(true);
    expect(b.isDevdraftError(err)).toBe(true);
  });
  it("an AuthError likewise, and a plain Error is neither", async () => {
    const { auth, authB, b } = await twoCopies();
    expect(new auth.AuthError(401, "x") instanceof authB.AuthError).toBe(true);
    expect(new Error("x") instanceof authB.AuthError).toBe(false);
    expect(new auth.AuthError(403, "x") instanceof b.DevdraftError).toBe(false);
  });
});
