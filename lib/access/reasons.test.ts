import { describe, expect, it } from "vitest";
import { isReasonRequiredBody } from "./reason-required";
import { checkAccessReason, formatPurpose } from "./reasons";

const REASONS = ["Customer support request", "Fraud investigation"];

describe("checkAccessReason", () => {
  it("accepts a configured reason with a ticket and gives the purpose recorded in the event", () => {
    const check = checkAccessReason({ reason: " Fraud investigation ", ticket: "INC-123" }, REASONS);
    expect(check).toEqual({ ok: true, reason: { reason: "Fraud investigation", ticket: "INC-123" }, purpose: "Fraud investigation · ticket INC-123" });
    for (const ticket of ["#5512", "JIRA:SEC-42", "zd/88", "a.b_c", "x".repeat(64)])
      expect(checkAccessReason({ reason: "Fraud investigation", ticket }, REASONS).ok).toBe(true);
  });

  it("says a reason is missing when neither field is given", () => {
    for (const raw of [{}, { reason: "", ticket: "" }, { reason: null, ticket: undefined }]) {
      const check = checkAccessReason(raw, REASONS);
      expect(check.ok).toBe(false);
      expect(!check.ok && check.missing).toBe(true);
    }
  });

  it("names every problem of a forged or partial reason", () => {
    const forged = checkAccessReason({ reason: "Because I can", ticket: "INC-1" }, REASONS);
    // Each problem in English (the API's words) and as a code a form translates (reveal.problems.*).
    expect(forged).toEqual({
      ok: false,
      missing: false,
      messages: ["reason: must be one of: Customer support request | Fraud investigation"],
      problems: ["reasonUnknown"],
    });
    expect(checkAccessReason({ reason: "Fraud investigation" }, REASONS)).toEqual({
      ok: false,
      missing: false,
      messages: ["ticket: a ticket reference is required"],
      problems: ["ticketMissing"],
    });
    expect(checkAccessReason({ ticket: "INC-1" }, REASONS)).toMatchObject({
      ok: false,
      missing: false,
      messages: ["reason: choose one of the configured reasons"],
      problems: ["reasonMissing"],
    });
    expect(checkAccessReason({}, REASONS)).toMatchObject({ ok: false, missing: true, problems: ["required"] });
    for (const ticket of ["x".repeat(65), "INC 1", "<script>", "INC-1\nX", "é", 42]) {
      const check = checkAccessReason({ reason: "Fraud investigation", ticket }, REASONS);
      expect(check.ok, String(ticket)).toBe(false);
      expect(check.ok ? [] : check.problems, String(ticket)).toEqual(["ticketInvalid"]);
    }
    expect(checkAccessReason({ reason: ["Fraud investigation"], ticket: "INC-1" }, REASONS).ok).toBe(false);
    // Case matters: the reason must be exactly one of the list.
    expect(checkAccessReason({ reason: "fraud investigation", ticket: "INC-1" }, REASONS).ok).toBe(false);
  });

  it("formats the purpose and recognises a reason_required answer", () => {
    expect(formatPurpose({ reason: "Legal request", ticket: "L-9" })).toBe("Legal request · ticket L-9");
    expect(isReasonRequiredBody({ code: "reason_required", reasons: ["a"], message: [] })).toBe(true);
    expect(isReasonRequiredBody({ code: "other", reasons: [] })).toBe(false);
  });
});
