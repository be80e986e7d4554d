import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, CUSTOMER_ACTIONS } from "@/lib/audit/actions";
import { AuthError } from "@/lib/errors";
import { DEVDRAFT_ERROR_KINDS, DevdraftError } from "@/lib/devdraft/errors";
import { ConflictError, InvalidQueryError, NotFoundError, NotGrantedError, ReasonRequiredError } from "@/lib/errors";
import { ChangeRefused, refusalOf } from "./outcome";

const READS = ["customers.list", "customer.view", "customer.reveal"] as const;

describe("refusalOf", () => {
  it("maps each refusal kind to its outcome and a short reason", () => {
    expect(refusalOf(new AuthError(401, "Sign in to continue"))).toEqual({ outcome: "denied", refusal: "signed out" });
    expect(refusalOf(new AuthError(403, "Your role does not allow this"))).toEqual({ outcome: "denied", refusal: "role not allowed" });
    expect(refusalOf(new InvalidQueryError(["take must not be greater than 100"]))).toEqual({
      outcome: "invalid",
      refusal: "invalid request: take must not be greater than 100",
    });
    expect(refusalOf(new NotFoundError("Export not found"))).toEqual({ outcome: "not_found", refusal: "Export not found" });
    expect(refusalOf(new DevdraftError("rate_limited")).outcome).toBe("rate_limited");
    expect(refusalOf(new DevdraftError("timeout")).outcome).toBe("upstream_error");
    expect(refusalOf(new ChangeRefused("denied", "the last enabled admin cannot be disabled", { form: { key: "staff.refusals.lastAdminDisable" } }))).toEqual({
      outcome: "denied",
      refusal: "the last enabled admin cannot be disabled",
    });
    expect(refusalOf(new TypeError("boom"))).toEqual({ outcome: "failed", refusal: "TypeError" });
  });

  it("a missing reason is denied, a bad one invalid, a missing grant denied; each says why", () => {
    expect(refusalOf(new ReasonRequiredError(["A reason for access is required"], true, ["a"]))).toEqual({
      outcome: "denied",
      refusal: "no reason for access given",
    });
    expect(refusalOf(new ReasonRequiredError(["ticket: a ticket reference is required"], false, ["a"]))).toEqual({
      outcome: "invalid",
      refusal: "invalid reason for access: ticket: a ticket reference is required",
    });
    expect(refusalOf(new NotGrantedError("no grant"))).toEqual({ outcome: "denied", refusal: "no live export grant" });
  });

  it("keeps a refusal reason short even when the validation messages are long", () => {
    expect(refusalOf(new InvalidQueryError("x".repeat(5000))).refusal.length).toBeLessThanOrEqual(500);
  });

  it("gives every Devdraft failure an outcome the customer reads may record, so no refusal is lost to the registry", () => {
    for (const kind of DEVDRAFT_ERROR_KINDS) {
      const { outcome } = refusalOf(new DevdraftError(kind));
      for (const action of READS) expect(AUDIT_ACTIONS[action].outcomes, `${kind} on ${action}`).toContain(outcome);
    }
  });

  it("records an acknowledgement of an acknowledged alert as refused, and every refusal of it is a registered outcome", () => {
    expect(refusalOf(new ConflictError("already acknowledged by a@b.example at 2026-03-01T12:00:00.000Z"))).toEqual({
      outcome: "denied",
      refusal: "already acknowledged by a@b.example at 2026-03-01T12:00:00.000Z",
    });
    const refusals = [
      new ConflictError("x"),
      new AuthError(403, "no"),
      new InvalidQueryError("note"),
      new NotFoundError("No such alert"),
      new Error("db down"),
    ];
    for (const err of refusals) expect(AUDIT_ACTIONS["alert.acknowledge"].outcomes).toContain(refusalOf(err).outcome);
  });

  it("lists the customer reads among the actions that name customers", () => {
    for (const action of READS) expect(CUSTOMER_ACTIONS).toContain(action);
  });
});
