import "server-only";
import { z } from "zod";
import { DevdraftError } from "./errors";
import { CUSTOMER_STATUSES } from "@/lib/contract/query";
import { textFieldsOf } from "@/lib/contract/customer";
import type { Customer } from "@/lib/contract/schema";

// The statuses the list filters by, and DELETED, seen in answers only. For display and settings: anything else
// Devdraft sends is kept and shown as it came.
export const KNOWN_CUSTOMER_STATUSES = [...CUSTOMER_STATUSES, "DELETED"] as const;

export type { Customer };
export type CustomerList = { customers: Customer[]; total: number | null };

// A number where text was expected is still the customer's data: show it rather than fail the page.
const text = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

// Anything unreadable becomes "unknown" (null), never a failed page.
const looseNumber = z
  .unknown()
  .optional()
  .transform((value): number | null => {
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value !== "string" || value.trim() === "") return null;
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  });

const upstreamCustomerSchema = z
  .object({
    id: z.union([z.string().min(1), z.number().transform(String)]),
    ...textFieldsOf(() => text),
    last_spent: looseNumber,
    currency: text,
    app_id: text,
    created_at: text,
    updated_at: text,
  })
  // In the List page's order (the detail page lists the fields as they come): the amount after the status.
  .transform(({ app_id, created_at, updated_at, appId, createdAt, updatedAt, last_spent, currency, last_purchase_date, ...raw }): Customer => ({
    ...raw,
    last_spent,
    currency,
    last_purchase_date,
    appId: appId ?? app_id,
    createdAt: createdAt ?? created_at,
    updatedAt: updatedAt ?? updated_at,
  }));

const totalSchema = looseNumber.transform((value) => (value !== null && Number.isInteger(value) && value >= 0 ? value : null));

// The List page documents a bare array; the OpenAPI examples wrap it with a total.
const upstreamListSchema = z.union([
  z.array(upstreamCustomerSchema).transform((customers): CustomerList => ({ customers, total: null })),
  z.object({ data: z.array(upstreamCustomerSchema), total: totalSchema }).transform(({ data, total }): CustomerList => ({ customers: data, total })),
]);

/** One bad row fails the whole answer: a page silently missing customers would mislead staff. */
export function parseCustomerList(body: unknown): CustomerList {
  return parseOrThrow(upstreamListSchema, body);
}

export function parseCustomer(body: unknown): Customer {
  return parseOrThrow(upstreamCustomerSchema, body);
}

function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  // Paths only: values could be customer data and do not belong in logs.
  const where = result.error.issues.map((issue) => issue.path.join(".") || "(root)").slice(0, 5);
  throw new DevdraftError("bad_response", { detail: `unexpected shape at ${where.join(", ")}` });
}
