import { describe, expect, it } from "vitest";
import { CUSTOMER_STATUSES, LIST_CUSTOMER_TYPES, toWire } from "./customer";
import { generateCustomers, REFERENCE_DATE_MS } from "./data";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const THREE_YEARS_MS = 3 * 365 * 24 * 60 * 60 * 1000;

describe("generateCustomers", () => {
  const { customers, appId } = generateCustomers(5000, 42);

  it("is deterministic: same seed, same JSON byte for byte; another seed differs", () => {
    const again = generateCustomers(5000, 42);
    expect(JSON.stringify(again.customers)).toBe(JSON.stringify(customers));
    const other = generateCustomers(5000, 43);
    expect(other.customers[0]?.id).not.toBe(customers[0]?.id);
    expect(JSON.stringify(other.customers)).not.toBe(JSON.stringify(customers));
  });

  it("gives unique v4-shaped ids and unique lowercase e-mails", () => {
    expect(new Set(customers.map((c) => c.id)).size).toBe(customers.length);
    expect(customers.every((c) => UUID_V4.test(c.id))).toBe(true);
    const emails = customers.map((c) => c.email ?? "");
    expect(new Set(emails).size).toBe(customers.length);
    expect(emails.every((e) => /^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/.test(e))).toBe(true);
  });

  it("covers every status (ACTIVE the majority) and every List page customer type", () => {
    const statuses = new Map<string, number>();
    for (const c of customers) statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
    expect([...statuses.keys()].sort()).toEqual([...CUSTOMER_STATUSES].sort());
    expect(statuses.get("ACTIVE") ?? 0).toBeGreaterThan(customers.length / 2);
    expect(new Set(customers.map((c) => c.customer_type))).toEqual(new Set(LIST_CUSTOMER_TYPES));
  });

  it("includes accented and non-Latin names", () => {
    const names = customers.flatMap((c) => [c.first_name, c.last_name]);
    expect(names.some((n) => /[À-ÿ]/.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Cyrillic}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Greek}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Hangul}/u.test(n))).toBe(true);
  });

  it("keeps timestamps consistent and sorts newest createdAt first", () => {
    for (let i = 0; i < customers.length; i += 1) {
      const c = customers[i];
      if (!c) throw new Error("hole");
      expect(c.createdAt).toBeGreaterThanOrEqual(REFERENCE_DATE_MS - THREE_YEARS_MS);
      expect(c.createdAt).toBeLessThan(REFERENCE_DATE_MS);
      expect(c.updatedAt).toBeGreaterThanOrEqual(c.createdAt);
      if (c.last_purchase_date !== null) {
        expect(c.last_purchase_date).toBeGreaterThanOrEqual(c.createdAt);
        expect(c.updatedAt).toBeGreaterThanOrEqual(c.last_purchase_date);
      }
      const next = customers[i + 1];
      if (next) expect(c.createdAt).toBeGreaterThanOrEqual(next.createdAt);
    }
  });

  it("has some never-bought customers with last_spent 0 and null purchase date", () => {
    const never = customers.filter((c) => c.last_purchase_date === null);
    expect(never.length).toBeGreaterThan(0);
    expect(never.every((c) => c.last_spent === 0)).toBe(true);
    expect(customers.some((c) => c.last_spent > 0)).toBe(true);
  });

  it("answers exactly the contract's fields, appId and app_id equal", () => {
    const first = customers[0];
    if (!first) throw new Error("no data");
    const wire = toWire(first, "camel");
    expect(Object.keys(wire)).toEqual([
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
    expect(wire.appId).toBe(appId);
    expect(wire.app_id).toBe(appId);
    expect(Object.keys(toWire(first, "snake")).slice(-2)).toEqual(["created_at", "updated_at"]);
  });
});
