import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, openContractTarget, type ContractTarget } from "./contract-target";

let target: ContractTarget;
const writesAllowed = !process.env.DEVDRAFT_CONTRACT_URL || process.env.DEVDRAFT_CONTRACT_WRITES === "1";

beforeAll(async () => {
  target = await openContractTarget();
});
afterAll(async () => {
  await target.close();
});

const customer = z.looseObject({
  id: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string().nullable(),
  phone_number: z.string(),
  customer_type: z.string(),
  status: z.string(),
  last_spent: z.number(),
  last_purchase_date: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const stamp = Date.now().toString(36);
const newEmail = `contract.${stamp}@example.com`;

describe("get one", () => {
  it("answers the same customer as the list", async () => {
    const [first] = z.array(customer).parse((await call(target, "/api/v0/customers?take=1")).json());
    if (!first) throw new Error("empty list");
    const reply = await call(target, `/api/v0/customers/${first.id}`);
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual(first);
  });

  it("answers 400 for a malformed id and 404 for an unknown one", async () => {
    const bad = await call(target, "/api/v0/customers/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ statusCode: 400, message: "Validation failed (uuid is expected)", error: "Bad Request" });
    const missing = await call(target, "/api/v0/customers/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ statusCode: 404, message: "Customer not found", error: "Not Found" });
  });
});

describe.skipIf(!writesAllowed)("create and update (skipped against an external URL unless DEVDRAFT_CONTRACT_WRITES=1)", () => {
  it("creates a customer that lists first, then rejects its e-mail twice over", async () => {
    const body = { first_name: "Zoë", last_name: "Ångström", email: newEmail, phone_number: "+1-555-123-4567", extra: 1 };
    const created = await call(target, "/api/v0/customers", { method: "POST", body });
    expect(created.status).toBe(201);
    const saved = customer.parse(created.json());
    expect(saved).toMatchObject({
      first_name: "Zoë",
      last_name: "Ångström",
      email: newEmail,
      customer_type: "Individual",
      status: "ACTIVE",
      last_spent: 0,
      last_purchase_date: null,
    });
    expect("extra" in saved).toBe(false);
    const [first] = z.array(customer).parse((await call(target, "/api/v0/customers?take=1")).json());
    expect(first?.id).toBe(saved.id);
    const found = z.array(customer).parse((await call(target, "/api/v0/customers?name=%C3%85NGSTR%C3%96M")).json());
    expect(found.map((c) => c.id)).toContain(saved.id);
    const duplicate = await call(target, "/api/v0/customers", { method: "POST", body: { ...body, email: newEmail.toUpperCase() } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json()).toEqual({ statusCode: 409, message: "Customer with this email already exists", error: "Conflict" });
  });

  it("updates fields, keeps createdAt, and answers 404/400/409 as appropriate", async () => {
    const list = z.array(customer).parse((await call(target, "/api/v0/customers?take=2&skip=1")).json());
    const [a, b] = list;
    if (!a || !b) throw new Error("need two customers");
    const patched = await call(target, `/api/v0/customers/${a.id}`, { method: "PATCH", body: { status: "BLACKLISTED", last_name: "Renamed" } });
    expect(patched.status).toBe(200);
    const saved = customer.parse(patched.json());
    expect(saved).toMatchObject({ id: a.id, status: "BLACKLISTED", last_name: "Renamed", createdAt: a.createdAt });
    expect(Date.parse(saved.updatedAt)).toBeGreaterThanOrEqual(Date.parse(a.updatedAt));
    const again = customer.parse((await call(target, `/api/v0/customers/${a.id}`)).json());
    expect(again.last_name).toBe("Renamed");
    const clash = await call(target, `/api/v0/customers/${a.id}`, { method: "PATCH", body: { email: b.email } });
    expect(clash.status).toBe(409);
    const invalid = await call(target, `/api/v0/customers/${a.id}`, { method: "PATCH", body: { status: "DELETED" } });
    expect(invalid.json()).toEqual({
      statusCode: 400,
      message: ["status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED"],
      error: "Bad Request",
    });
    const missing = await call(target, "/api/v0/customers/00000000-0000-4000-8000-000000000000", { method: "PATCH", body: {} });
    expect(missing.status).toBe(404);
    const malformed = await call(target, `/api/v0/customers/${a.id}`, { method: "PATCH", body: '{"status":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ statusCode: 400, error: "Bad Request" });
  });

  it("validates create bodies with class-validator messages", async () => {
    const reply = await call(target, "/api/v0/customers", { method: "POST", body: { first_name: "A", phone_number: "+15551234567" } });
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({
      statusCode: 400,
      message: ["last_name must be longer than or equal to 1 characters", "last_name must be a string"],
      error: "Bad Request",
    });
  });
});

describe("unknown routes", () => {
  it.each([
    ["GET", "/api/v0/nope?x=1"],
    ["DELETE", "/api/v0/customers/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/v0/customers/a/b"],
  ])("%s %s → NestJS 404", async (method, path) => {
    const reply = await call(target, path, { method });
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ statusCode: 404, message: `Cannot ${method} ${path}`, error: "Not Found" });
  });
});
