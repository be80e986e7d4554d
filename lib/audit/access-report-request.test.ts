import { describe, expect, it } from "vitest";
import { accessReportParams, isBlankAccessReport, parseAccessReportRequest, periodDays, rawAccessReportQuery } from "./access-report-request";

const ID = "3F1C2A9E-0B4D-4C6E-8A1B-2C3D4E5F6A7B";

describe("access report request", () => {
  it("reads an id and whole UTC days, the end day included", () => {
    const parsed = parseAccessReportRequest(new URLSearchParams({ customer: ` ${ID} `, from: "2024-03-01", to: "2024-03-31" }));
    expect(parsed).toEqual({
      ok: true,
      request: { customer: { by: "id", id: ID.toLowerCase() }, from: new Date("2024-03-01T00:00:00.000Z"), to: new Date("2024-04-01T00:00:00.000Z") },
    });
  });

  it("reads an email, lowercased, and a one-day period", () => {
    const parsed = parseAccessReportRequest({ customer: "Ada@Example.COM", from: "2024-02-29", to: "2024-02-29" });
    expect(parsed).toMatchObject({ ok: true, request: { customer: { by: "email", email: "ada@example.com" } } });
    if (parsed.ok) expect(parsed.request.to.getTime() - parsed.request.from.getTime()).toBe(86_400_000);
  });

  it.each([
    [{ customer: "", from: "2024-03-01", to: "2024-03-02" }, "Enter a customer id or email"],
    [{ customer: "cus_1", from: "2024-03-01", to: "2024-03-02" }, "A customer id looks like 3f1c2a9e-…-… (a UUID)"],
    [{ customer: "not@an@email", from: "2024-03-01", to: "2024-03-02" }, "This is not an email address"],
    [{ customer: ID, to: "2024-03-02" }, "The start date is missing"],
    [{ customer: ID, from: "2024-02-30", to: "2024-03-02" }, "The start date must be a calendar date (YYYY-MM-DD)"],
    [{ customer: ID, from: "2024-03-01", to: "yesterday" }, "The end date must be a calendar date (YYYY-MM-DD)"],
    [{ customer: ID, from: "2024-03-02", to: "2024-03-01" }, "The end date is before the start date"],
    [{ customer: [ID, ID], from: "2024-03-01", to: "2024-03-02" }, "customer must be given once"],
  ])("refuses %j with a clear message", (params, message) => {
    const parsed = parseAccessReportRequest(params);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.messages).toContain(message);
  });

  it("tells a form without a period (perhaps prefilled with a customer) from a request", () => {
    expect(isBlankAccessReport({})).toBe(true);
    expect(isBlankAccessReport(new URLSearchParams("customer=&from=&to="))).toBe(true);
    expect(isBlankAccessReport({ customer: ID })).toBe(true);
    expect(isBlankAccessReport({ from: "2024-03-01" })).toBe(false);
    expect(isBlankAccessReport({ customer: ID, to: "2024-03-01" })).toBe(false);
  });

  it("links to the same period it was given", () => {
    const parsed = parseAccessReportRequest({ customer: ID, from: "2024-03-01", to: "2024-03-31" });
    if (!parsed.ok) throw new Error("expected a valid request");
    expect(periodDays(parsed.request)).toEqual({ from: "2024-03-01", to: "2024-03-31" });
    expect(accessReportParams("abc", parsed.request, { format: "csv" }).toString()).toBe("customer=abc&from=2024-03-01&to=2024-03-31&format=csv");
  });

  it("keeps a refused request as it came", () => {
    expect(rawAccessReportQuery(new URLSearchParams("customer=a&customer=b&x=1"))).toEqual({ customer: ["a", "b"], x: "1" });
  });
});
