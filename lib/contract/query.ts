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

// This module ships to the browser: its checks are Devdraft's own rules below, with no schema library.
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
/** A query that passed those rules: take 1–100, skip 0–10,000, known status, non-empty filters. */
export type CustomersQuery = { take: number; skip: number; status?: CustomerStatus; name?: string; email?: string };

export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;
export type QueryValidation = { ok: true; query: CustomersQuery } | { ok: false; messages: string[] };
export type QueryCorrection = { field: QueryField; message: string };

type QueryField = "take" | "skip" | "status" | "name" | "email";
// What Devdraft's query parser hands the DTO: absent, one string, or an array for a repeated key.
type RawValue = string | string[] | undefined;
type Rule = { passes: (value: unknown) => boolean; message: string };

// class-validator's own predicates: a non-number (NaN included) fails every numeric rule.
const isMax = (max: number) => (value: unknown) => typeof value === "number" && value <= max;
const isMin = (min: number) => (value: unknown) => typeof value === "number" && value >= min;
const isInt = (value: unknown) => typeof value === "number" && Number.isInteger(value);
const isEnum = (value: unknown) => CUSTOMER_STATUSES.some((status) => status === value);
// validator.js isLength: emoji variation selectors and surrogate pairs count as one character.
const isMaxLength = (max: number) => (value: unknown) => {
  if (typeof value !== "string") return false;
  const selectors = value.match(/[\uFE0E\uFE0F]/g)?.length ?? 0;
  const pairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - selectors - pairs <= max;
};

// Decorators run bottom-up, so each property has its own order (CONTRACT.md): take Max, Min, IsInt;
// skip Min, Max, IsInt.
const maxRule = (field: QueryField, max: number): Rule => ({ passes: isMax(max), message: `${field} must not be greater than ${max}` });
const minRule = (field: QueryField, min: number): Rule => ({ passes: isMin(min), message: `${field} must not be less than ${min}` });
const intRule = (field: QueryField): Rule => ({ passes: isInt, message: `${field} must be an integer number` });

const FIELDS: readonly { field: QueryField; convert: (raw: string | string[]) => unknown; rules: Rule[] }[] = [
  { field: "take", convert: toNumber, rules: [maxRule("take", TAKE_MAX), minRule("take", TAKE_MIN), intRule("take")] },
  { field: "skip", convert: toNumber, rules: [minRule("skip", SKIP_MIN), maxRule("skip", SKIP_MAX), intRule("skip")] },
  {
    field: "status",
    convert: (raw) => raw,
    rules: [{ passes: isEnum, message: `status must be one of the following values: ${CUSTOMER_STATUSES.join(", ")}` }],
  },
  {
    field: "name",
    convert: (raw) => raw,
    rules: [{ passes: isMaxLength(NAME_MAX_LENGTH), message: `name must be shorter than or equal to ${NAME_MAX_LENGTH} characters` }],
  },
  {
    field: "email",
    convert: (raw) => raw,
    rules: [{ passes: isMaxLength(EMAIL_MAX_LENGTH), message: `email must be shorter than or equal to ${EMAIL_MAX_LENGTH} characters` }],
  },
];

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

type FieldCheck = { field: QueryField; value: unknown; messages: string[] };

function checkFields(params: QueryParams): FieldCheck[] {
  return FIELDS.map(({ field, convert, rules }) => {
    const raw = readRaw(params, field);
    // @IsOptional skips only undefined and null: an empty string is validated.
    if (raw === undefined) return { field, value: undefined, messages: [] };
    const value = convert(raw);
    return { field, value, messages: rules.filter((rule) => !rule.passes(value)).map((rule) => rule.message) };
  });
}

function buildQuery(checks: FieldCheck[]): CustomersQuery {
  const valid = (field: QueryField) => {
    const check = checks.find((candidate) => candidate.field === field);
    return check && check.messages.length === 0 ? check.value : undefined;
  };
  const take = valid("take");
  const skip = valid("skip");
  const status = CUSTOMER_STATUSES.find((known) => known === valid("status"));
  const name = valid("name");
  const email = valid("email");
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

/** Devdraft's own verdict on a query: every failing rule, in its order, with its messages. */
export function validateCustomersQuery(params: QueryParams): QueryValidation {
  const checks = checkFields(params);
  const messages = checks.flatMap((check) => check.messages);
  return messages.length > 0 ? { ok: false, messages } : { ok: true, query: buildQuery(checks) };
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
