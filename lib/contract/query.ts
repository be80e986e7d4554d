// Shared by the server page, the route handler and the browser hook: pure, no Node APIs.

export const CUSTOMER_STATUSES = ["ACTIVE", "BLACKLISTED", "DEACTIVATED"] as const;
export const PAGE_SIZES = [10, 25, 50, 100] as const;
const TAKE_MIN = 1;
export const TAKE_MAX = 100;
const SKIP_MIN = 0;
export const SKIP_MAX = 10_000;
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 255;
export const DEFAULT_TAKE = 10;
export const DEFAULT_SKIP = 0;

// This module ships to the browser: the rules below are plain predicates (no schema library, see
// lib/contract/schema.ts for why), read by the page's lenient URL parser here and by the zod/mini contract.
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
/** A query that passed those rules: take 1–100, skip 0–10,000, known status, non-empty filters. */
export type CustomersQuery = { take: number; skip: number; status?: CustomerStatus; name?: string; email?: string };

export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;
export type QueryValidation = { ok: true; query: CustomersQuery } | { ok: false; messages: string[] };
export type QueryCorrection = { field: QueryField; message: string };

type QueryField = "take" | "skip" | "status" | "name" | "email";
/** What Devdraft's query parser hands the DTO: absent, one string, or an array for a repeated key. */
type RawValue = string | string[] | undefined;
export type RawQuery = Record<QueryField, RawValue>;
type Rule = { passes: (value: unknown) => boolean; message: string };
/** One parameter of the published contract: how Devdraft converts it, then its rules in Devdraft's order. */
export type QueryFieldRules = { convert: (raw: string | string[]) => unknown; rules: readonly Rule[] };

// class-validator's own predicates: a non-number (NaN included) fails every numeric rule.
const isMax = (max: number) => (value: unknown) => typeof value === "number" && value <= max;
const isMin = (min: number) => (value: unknown) => typeof value === "number" && value >= min;
const isInt = (value: unknown) => typeof value === "number" && Number.isInteger(value);
// validator.js isLength: emoji variation selectors and surrogate pairs count as one character.
const isMaxLength = (max: number) => (value: unknown) => {
  if (typeof value !== "string") return false;
  const selectors = value.match(/[\uFE0E\uFE0F]/g)?.length ?? 0;
  const pairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - selectors - pairs <= max;
};

// Decorators run bottom-up, so each property has its own order (docs/contract.md): take Max, Min, IsInt;
// skip Min, Max, IsInt.
const maxRule = (field: QueryField, max: number): Rule => ({ passes: isMax(max), message: `${field} must not be greater than ${max}` });
const minRule = (field: QueryField, min: number): Rule => ({ passes: isMin(min), message: `${field} must not be less than ${min}` });
const intRule = (field: QueryField): Rule => ({ passes: isInt, message: `${field} must be an integer number` });
const maxLengthRule = (field: QueryField, max: number): Rule => ({
  passes: isMaxLength(max),
  message: `${field} must be shorter than or equal to ${max} characters`,
});
const asIs = (raw: string | string[]): unknown => raw;

/**
 * The published contract's rules, parameters in the DTO's declaration order. The status list is an argument: the
 * portal passes its own, the sandbox (standing in for Devdraft) its own, so a divergence stays visible.
 */
export function queryFieldRules(statuses: readonly string[]): Record<QueryField, QueryFieldRules> {
  return {
    take: { convert: toNumber, rules: [maxRule("take", TAKE_MAX), minRule("take", TAKE_MIN), intRule("take")] },
    skip: { convert: toNumber, rules: [minRule("skip", SKIP_MIN), maxRule("skip", SKIP_MAX), intRule("skip")] },
    status: {
      convert: asIs,
      rules: [
        { passes: (value) => statuses.some((status) => status === value), message: `status must be one of the following values: ${statuses.join(", ")}` },
      ],
    },
    name: { convert: asIs, rules: [maxLengthRule("name", NAME_MAX_LENGTH)] },
    email: { convert: asIs, rules: [maxLengthRule("email", EMAIL_MAX_LENGTH)] },
  };
}

const FIELDS = queryFieldRules(CUSTOMER_STATUSES);
const FIELD_NAMES = Object.keys(FIELDS) as QueryField[];

// Devdraft converts with `Number(value)`; an array (repeated key) becomes NaN.
function toNumber(raw: string | string[]): unknown {
  return typeof raw === "string" ? Number(raw) : Number.NaN;
}

function readRaw(params: QueryParams, key: QueryField): RawValue {
  const values = params instanceof URLSearchParams ? params.getAll(key) : recordValues(params, key);
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return values;
}

function recordValues(params: Record<string, unknown>, key: string): string[] {
  if (!Object.hasOwn(params, key)) return [];
  const value = params[key];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The contract's parameters as Devdraft's parser sees them; anything else is dropped (whitelist). */
export function readRawQuery(params: QueryParams): RawQuery {
  return {
    take: readRaw(params, "take"),
    skip: readRaw(params, "skip"),
    status: readRaw(params, "status"),
    name: readRaw(params, "name"),
    email: readRaw(params, "email"),
  };
}

type FieldCheck = { field: QueryField; value: unknown; messages: string[] };

function checkFields(params: QueryParams): FieldCheck[] {
  const raw = readRawQuery(params);
  return FIELD_NAMES.map((field) => {
    const value = raw[field];
    // @IsOptional skips only undefined and null: an empty string is validated.
    if (value === undefined) return { field, value: undefined, messages: [] };
    const converted = FIELDS[field].convert(value);
    return { field, value: converted, messages: FIELDS[field].rules.filter((rule) => !rule.passes(converted)).map((rule) => rule.message) };
  });
}

/** The portal's query from converted values that passed their rules (others undefined): defaults, no empty filters. */
export function normaliseQuery(valid: Partial<Record<QueryField, unknown>>): CustomersQuery {
  const { take, skip, name, email } = valid;
  const status = CUSTOMER_STATUSES.find((known) => known === valid.status);
  return {
    // `+ 0` turns Number("-0") into a plain 0 so equal views give equal keys.
    take: typeof take === "number" ? take + 0 : DEFAULT_TAKE,
    skip: typeof skip === "number" ? skip + 0 : DEFAULT_SKIP,
    ...(status ? { status } : {}),
    // An empty substring matches every customer, so dropping it asks Devdraft the same question.
    ...(typeof name === "string" && name !== "" ? { name } : {}),
    ...(typeof email === "string" && email !== "" ? { email } : {}),
  };
}

function buildQuery(checks: FieldCheck[]): CustomersQuery {
  return normaliseQuery(Object.fromEntries(checks.filter((check) => check.messages.length === 0).map((check) => [check.field, check.value])));
}

/** The page URL's lenient reading: a bad field falls back to its default and says why. */
export function coerceViewQuery(params: QueryParams): { query: CustomersQuery; corrections: QueryCorrection[] } {
  // A form's "any status" option submits `status=`; on the page that means no filter, not a mistake.
  const checks = checkFields(params).map((check) => (check.field === "status" && check.value === "" ? { ...check, value: undefined, messages: [] } : check));
  const corrections = checks.filter((check) => check.messages.length > 0).map((check) => ({ field: check.field, message: check.messages.join("; ") }));
  return { query: buildQuery(checks), corrections };
}

/** The upstream query string: every field explicit, fixed order, so equal views give equal keys. */
export function toSearchParams(query: CustomersQuery): URLSearchParams {
  const params = new URLSearchParams();
  params.set("take", String(query.take));
  params.set("skip", String(query.skip));
  if (query.status !== undefined) params.set("status", query.status);
  if (query.name) params.set("name", query.name);
  if (query.email) params.set("email", query.email);
  return params;
}

/** The page URL for a view, defaults left out so links stay short. */
export function viewHref(query: CustomersQuery, base = "/customers"): string {
  const params = new URLSearchParams();
  if (query.status !== undefined) params.set("status", query.status);
  if (query.name) params.set("name", query.name);
  if (query.email) params.set("email", query.email);
  if (query.skip !== DEFAULT_SKIP) params.set("skip", String(query.skip));
  if (query.take !== DEFAULT_TAKE) params.set("take", String(query.take));
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}
