import * as z from "zod/mini";
import { textFieldsOf } from "./customer";
import { CUSTOMER_STATUSES, normaliseQuery, queryFieldRules, readRawQuery, type QueryFieldRules, type QueryParams, type QueryValidation } from "./query";

/**
 * The portal's contract with its callers and with Devdraft, in zod/mini: the customer query, a customer, the list
 * answer. Pure (no Node APIs), so browser-safe; but the browser does not load it. zod/mini's core costs 4.6 kB gzip
 * even for one object schema, and /customers is within 3 kB of its JavaScript budget (e2e/customers.spec.ts), so
 * the browser reads the same rules through lib/contract/query.ts and the same customer through
 * lib/customers/answers.ts, and property tests hold each equal to this module (query.test.ts, answers.test.ts).
 */

const RAW = z.union([z.string(), z.array(z.string())]);

// @IsOptional skips only an absent parameter; class-validator reports every failing rule of one, in order.
function parameter({ convert, rules }: QueryFieldRules) {
  return z.optional(z.pipe(RAW, z.pipe(z.transform(convert), z.unknown().check(...rules.map((rule) => z.refine(rule.passes, rule.message))))));
}

/** Devdraft's List DTO as published (docs/contract.md), over the given status list: converted values, unknown keys dropped. */
export function customersQueryShape(statuses: readonly string[]) {
  const fields = queryFieldRules(statuses);
  return z.object({
    take: parameter(fields.take),
    skip: parameter(fields.skip),
    status: parameter(fields.status),
    name: parameter(fields.name),
    email: parameter(fields.email),
  });
}

/** The portal's query: Devdraft's rules over the portal's statuses, then defaults and no empty filters. */
const customersQuerySchema = z.pipe(customersQueryShape(CUSTOMER_STATUSES), z.transform(normaliseQuery));

/** Devdraft's own verdict on a query: every failing rule, in its order, with its messages. */
export function validateCustomersQuery(params: QueryParams): QueryValidation {
  const result = customersQuerySchema.safeParse(readRawQuery(params));
  return result.success ? { ok: true, query: result.data } : { ok: false, messages: result.error.issues.map((issue) => issue.message) };
}

const text = z.nullable(z.string());

/**
 * A customer as the portal answers it, server and browser alike: the List page's spelling, whatever variant Devdraft
 * sent (lib/devdraft/schemas.ts reads Devdraft's answers into it).
 */
const customerSchema = z.object({
  id: z.string(),
  ...textFieldsOf(() => text),
  last_spent: z.nullable(z.number()),
  /** ISO 4217; Devdraft sends none, which means USD. Absent reads as null. */
  currency: z.pipe(
    z.optional(text),
    z.transform((value) => value ?? null),
  ),
});
export type Customer = z.output<typeof customerSchema>;

/** The list answer of `/api/customers`: the page's rows, each masked or not. */
export const customerListSchema = z.array(z.extend(customerSchema, { masked: z.optional(z.boolean()) }));
export type CustomerRow = z.output<typeof customerListSchema>[number];
