import { describe, expect, it } from "vitest";
import { DevdraftError } from "./errors";
import { parseCustomer, parseCustomerList } from "./schemas";

const listPageRow = {
  id: "550e8400-e29b-41d4-a716-446655440000",
  first_name: "John",
  last_name: "Doe",
  email: "john.doe@example.com",
  phone_number: "+1-555-123-4567",
  customer_type: "Individual",
  status: "ACTIVE",
  last_spent: 250.75,
  last_purchase_date: "2024-01-10T15:30:00Z",
  appId: "app_123456789",
  app_id: "app_123456789",
  createdAt: "2024-01-01T10:00:00Z",
  updatedAt: "2024-01-15T14:30:00Z",
};

const expectBadResponse = (body: unknown) => {
  let caught: unknown;
  try {
    parseCustomerList(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DevdraftError);
  expect(caught).toMatchObject({ kind: "bad_response", status: 502 });
};

describe("customer schemas", () => {
  it("reads the List page's bare array, with no total", () => {
    expect(parseCustomerList([listPageRow])).toEqual({
      total: null,
      customers: [
        {
          id: listPageRow.id,
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
        },
      ],
    });
  });

  it("reads the OpenAPI envelope and keeps its total", () => {
    const page = parseCustomerList({ data: [listPageRow, { ...listPageRow, id: "b" }], total: 100, skip: 0, take: 10 });
    expect(page.total).toBe(100);
    expect(page.customers.map((c) => c.id)).toEqual([listPageRow.id, "b"]);
    expect(parseCustomerList({ data: [] })).toEqual({ customers: [], total: null });
  });

  it("normalises snake_case timestamps and app_id", () => {
    const { createdAt, updatedAt, appId, ...rest } = listPageRow;
    const [customer] = parseCustomerList([{ ...rest, app_id: "app_9", created_at: "2024-03-20T10:00:00Z", updated_at: "2024-03-21T10:00:00Z" }]).customers;
    expect(customer).toMatchObject({ createdAt: "2024-03-20T10:00:00Z", updatedAt: "2024-03-21T10:00:00Z", appId: "app_9" });
    expect([createdAt, updatedAt, appId]).toHaveLength(3);
  });

  it("keeps unknown statuses and customer types as they came", () => {
    const customer = parseCustomer({ ...listPageRow, status: "DELETED", customer_type: "Cooperative" });
    expect(customer).toMatchObject({ status: "DELETED", customer_type: "Cooperative" });
  });

  it("shows missing optional fields as null instead of failing", () => {
    expect(parseCustomer({ id: "cust_1", last_purchase_date: null })).toEqual({
      id: "cust_1",
      first_name: null,
      last_name: null,
      email: null,
      phone_number: null,
      customer_type: null,
      status: null,
      last_spent: null,
      currency: null,
      last_purchase_date: null,
      appId: null,
      createdAt: null,
      updatedAt: null,
    });
  });

  it("reads last_spent from a numeric string, and anything else as unknown", () => {
    expect(parseCustomer({ ...listPageRow, last_spent: "1500.00" }).last_spent).toBe(1500);
    expect(parseCustomer({ ...listPageRow, last_spent: "lots" }).last_spent).toBeNull();
    expect(parseCustomer({ ...listPageRow, last_spent: { amount: 1 } }).last_spent).toBeNull();
  });

  it("keeps a currency when the upstream names one and ignores extra fields", () => {
    const customer = parseCustomer({ ...listPageRow, currency: "EUR", internal_score: 7 });
    expect(customer.currency).toBe("EUR");
    expect(customer).not.toHaveProperty("internal_score");
  });

  it("fails the whole page when one row has no id, rather than drop it", () => {
    expectBadResponse([listPageRow, { ...listPageRow, id: undefined }]);
    expectBadResponse({ data: [listPageRow, { first_name: "No id" }], total: 2 });
    expectBadResponse([listPageRow, { ...listPageRow, id: "" }]);
  });

  it("refuses anything that is not a customer list", () => {
    expectBadResponse({ message: "hello" });
    expectBadResponse("<html></html>");
    expectBadResponse(null);
    expectBadResponse([1, 2]);
  });

  it("ignores a total it cannot read rather than trust it", () => {
    expect(parseCustomerList({ data: [], total: "many" }).total).toBeNull();
    expect(parseCustomerList({ data: [], total: -1 }).total).toBeNull();
  });
});
