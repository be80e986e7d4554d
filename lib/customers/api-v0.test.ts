import { describe, expect, it } from "vitest";
import { AuthError } from "@/lib/errors";
import { DevdraftError } from "@/lib/devdraft/errors";
import { InvalidQueryError } from "@/lib/errors";
import { devdraftErrorResponse, toDevdraftCustomer } from "./api-v0";

// The answers of GET /api/v0/customers in the words of Devdraft's List Customers page.
describe("Devdraft's error answers", () => {
  it("a spent budget is Devdraft's 429, with retry_after and Retry-After", async () => {
    const res = devdraftErrorResponse(new DevdraftError("rate_limited", { retryAfterMs: 12_300 }), "req-1");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("13");
    expect(res.headers.get("x-request-id")).toBe("req-1");
    expect(await res.json()).toEqual({ statusCode: 429, message: "Too many requests", error: "Too Many Requests", retry_after: 13 });
  });

  it("without a known delay, the page's 60 seconds", async () => {
    const res = devdraftErrorResponse(new DevdraftError("rate_limited"), "req-2");
    expect(await res.json()).toMatchObject({ retry_after: 60 });
  });

  it("an unexpected failure is Devdraft's 500, with nothing of the cause", async () => {
    const res = devdraftErrorResponse(new Error("db password is hunter2"), "req-3");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ statusCode: 500, message: "Internal server error", error: "Internal Server Error" });
  });

  it("validation and credentials keep Devdraft's shape", async () => {
    const bad = devdraftErrorResponse(new InvalidQueryError(["take must not be greater than 100"]), "req-4");
    expect([bad.status, await bad.json()]).toEqual([400, { statusCode: 400, message: ["take must not be greater than 100"], error: "Bad Request" }]);
    const creds = devdraftErrorResponse(new AuthError(401, "Invalid API credentials"), "req-5");
    expect([creds.status, await creds.json()]).toEqual([401, { statusCode: 401, message: "Invalid API credentials", error: "Unauthorized" }]);
  });
});

describe("toDevdraftCustomer", () => {
  it("spells a customer as the List page does: app_id beside appId, no portal-only fields", () => {
    const customer = {
      id: "550e8400-e29b-41d4-a716-446655440000",
      first_name: "John",
      last_name: "Doe",
      email: "john.doe@example.com",
      phone_number: "+1-555-123-4567",
      customer_type: "Individual",
      status: "ACTIVE",
      last_spent: 250.75,
      currency: null,
      last_purchase_date: "2024-01-10T15:30:00Z",
      appId: "app_123456789",
      createdAt: "2024-01-01T10:00:00Z",
      updatedAt: "2024-01-15T14:30:00Z",
    };
    const { currency: _portalOnly, ...rest } = customer;
    expect(toDevdraftCustomer(customer)).toEqual({ ...rest, app_id: "app_123456789" });
    expect(Object.keys(toDevdraftCustomer(customer))).toEqual([
      "id",
      "first_name",
      "last_name",
      "email",
      "phone_number",
      "customer_type",
      "status",
      "last_spent",
      "last_purchase_date",
      "appId",
      "app_id",
      "createdAt",
      "updatedAt",
    ]);
  });
});
