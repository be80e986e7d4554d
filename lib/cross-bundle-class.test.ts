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
  });
  it("an AuthError likewise, and a plain Error is neither", async () => {
    const { auth, authB, b } = await twoCopies();
    expect(new auth.AuthError(401, "x") instanceof authB.AuthError).toBe(true);
    expect(new Error("x") instanceof authB.AuthError).toBe(false);
    expect(new auth.AuthError(403, "x") instanceof b.DevdraftError).toBe(false);
  });
});

describe("the portal's own errors (lib/errors.ts)", () => {
  it("match their own code across bundles, never another code's class", async () => {
    const a = await import("@/lib/errors");
    vi.resetModules();
    const b = await import("@/lib/errors");
    expect(a.NotFoundError).not.toBe(b.NotFoundError);
    const missing = new a.NotFoundError("no such export");
    expect(missing instanceof b.NotFoundError).toBe(true);
    expect(missing instanceof b.PortalError).toBe(true);
    expect(missing instanceof b.GoneError).toBe(false);
    expect(missing.code).toBe("not_found");
    expect(missing.name).toBe("NotFoundError");
    expect(new Error("x") instanceof b.PortalError).toBe(false);
  });
});

describe("one mapping from error to answer (lib/http/api-error.ts)", () => {
  it("gives the API answer and the server-rendered page the same status, message and retry delay", async () => {
    const { errorResponse, listErrorOf } = await import("@/lib/http/api-error");
    const { DevdraftError } = await import("@/lib/devdraft/errors");
    const { GoneError, ReasonRequiredError, TooManyAttemptsError } = await import("@/lib/errors");
    const cases: [unknown, number][] = [
      [new GoneError("The export file has expired"), 410],
      [new TooManyAttemptsError(30), 429],
      [new DevdraftError("rate_limited", { retryAfterMs: 1500 }), 429],
      [new ReasonRequiredError(["Choose a reason"], true, ["Fraud investigation"]), 403],
      [new Error("secret internals"), 500],
    ];
    for (const [err, status] of cases) {
      const res = errorResponse(err, "req-1");
      const body = (await res.json()) as { message: string | string[]; statusCode: number };
      const page = listErrorOf(err, "req-1");
      expect(res.status).toBe(status);
      expect(page.status).toBe(status);
      expect(page.messages).toEqual([body.message].flat());
      expect(page.retryAfterSec).toBe(res.headers.get("retry-after") === null ? null : Number(res.headers.get("retry-after")));
      expect(JSON.stringify(body)).not.toContain("secret internals");
    }
    const reason = await errorResponse(new ReasonRequiredError(["Choose a reason"], false, ["Fraud investigation"]), "req-2").json();
    expect(reason).toMatchObject({ statusCode: 400, code: "reason_required", reasons: ["Fraud investigation"] });
  });
});
