import { describe, expect, it } from "vitest";
import { parseCustomerDto } from "./customer-dto";

function createMessages(body: unknown): string[] {
  const result = parseCustomerDto(body, "create");
  return result.ok ? [] : result.messages;
}

describe("CreateCustomerDto / UpdateCustomerDto validation", () => {
  it("requires first_name, last_name and phone_number on create", () => {
    expect(createMessages({})).toEqual([
      "first_name must be longer than or equal to 1 characters",
      "first_name must be a string",
      "last_name must be longer than or equal to 1 characters",
      "last_name must be a string",
      "phone_number must be shorter than or equal to 20 characters",
      "phone_number should not be empty",
      "phone_number must be a string",
    ]);
  });

  it("checks lengths, e-mail shape and enums", () => {
    expect(
      createMessages({
        first_name: "x".repeat(101),
        last_name: "",
        phone_number: "+1".padEnd(21, "5"),
        email: "not-an-email",
        customer_type: "Alien",
        status: "DELETED",
      }),
    ).toEqual([
      "first_name must be shorter than or equal to 100 characters",
      "last_name must be longer than or equal to 1 characters",
      "email must be an email",
      "phone_number must be shorter than or equal to 20 characters",
      "customer_type must be one of the following values: Individual, Business, Enterprise, Non-Profit, Startup, Small Business, Medium Business, Government",
      "status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED",
    ]);
  });

  it("accepts the OpenAPI example and strips unknown keys", () => {
    const result = parseCustomerDto(
      {
        first_name: "John",
        last_name: "Doe",
        email: "john.doe@example.com",
        phone_number: "+1-555-123-4567",
        customer_type: "Startup",
        status: "ACTIVE",
        id: "forged",
      },
      "create",
    );
    expect(result).toEqual({
      ok: true,
      changes: {
        first_name: "John",
        last_name: "Doe",
        email: "john.doe@example.com",
        phone_number: "+1-555-123-4567",
        customer_type: "Startup",
        status: "ACTIVE",
      },
    });
  });

  it("makes every field optional on update but still validates the ones given", () => {
    expect(parseCustomerDto({}, "update")).toEqual({ ok: true, changes: {} });
    expect(parseCustomerDto({ status: "BLACKLISTED" }, "update")).toEqual({ ok: true, changes: { status: "BLACKLISTED" } });
    expect(parseCustomerDto({ first_name: 5 }, "update")).toEqual({
      ok: false,
      messages: ["first_name must be longer than or equal to 1 and shorter than or equal to 100 characters", "first_name must be a string"],
    });
  });
});
