import { collect, isEmailMessage, isEnumMessage, isNotEmptyMessage, isStringMessage, lengthMessage, maxLengthMessage } from "./class-validator-rules";
import { ACCEPTED_CUSTOMER_TYPES, CUSTOMER_STATUSES, type CustomerStatus, type CustomerType } from "./customer";

export interface CustomerChanges {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone_number?: string;
  customer_type?: CustomerType;
  status?: CustomerStatus;
}

export type DtoResult = { ok: true; changes: CustomerChanges } | { ok: false; messages: string[] };

const FIELDS = ["first_name", "last_name", "email", "phone_number", "customer_type", "status"] as const;
type Field = (typeof FIELDS)[number];

/** Rules per field, in the bottom-up order NestJS reports them (see README). */
function fieldMessages(field: Field, value: unknown): string[] {
  switch (field) {
    case "first_name":
    case "last_name":
      return collect(lengthMessage(field, value, 1, 100), isStringMessage(field, value));
    case "email":
      return collect(maxLengthMessage(field, value, 255), isEmailMessage(field, value));
    case "phone_number":
      return collect(maxLengthMessage(field, value, 20), isNotEmptyMessage(field, value), isStringMessage(field, value));
    case "customer_type":
      return collect(isEnumMessage(field, value, ACCEPTED_CUSTOMER_TYPES));
    case "status":
      return collect(isEnumMessage(field, value, CUSTOMER_STATUSES));
  }
}

const REQUIRED_ON_CREATE: ReadonlySet<Field> = new Set(["first_name", "last_name", "phone_number"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pickType(value: unknown): CustomerType | undefined {
  return ACCEPTED_CUSTOMER_TYPES.find((t) => t === value);
}

function pickStatus(value: unknown): CustomerStatus | undefined {
  return CUSTOMER_STATUSES.find((s) => s === value);
}

/** CreateCustomerDto (create) or UpdateCustomerDto (all optional); unknown keys are stripped. */
export function parseCustomerDto(body: unknown, mode: "create" | "update"): DtoResult {
  const input = isRecord(body) ? body : {};
  const messages: string[] = [];
  for (const field of FIELDS) {
    const value = input[field];
    const optional = mode === "update" || !REQUIRED_ON_CREATE.has(field);
    // @IsOptional() skips null and undefined.
    if (optional && (value === undefined || value === null)) continue;
    messages.push(...fieldMessages(field, value));
  }
  if (messages.length > 0) return { ok: false, messages };
  const changes: CustomerChanges = {};
  const text = (key: Field): string | undefined => {
    const value = input[key];
    return typeof value === "string" ? value : undefined;
  };
  const firstName = text("first_name");
  const lastName = text("last_name");
  const email = text("email");
  const phone = text("phone_number");
  const type = pickType(input.customer_type);
  const status = pickStatus(input.status);
  if (firstName !== undefined) changes.first_name = firstName;
  if (lastName !== undefined) changes.last_name = lastName;
  if (email !== undefined) changes.email = email;
  if (phone !== undefined) changes.phone_number = phone;
  if (type !== undefined) changes.customer_type = type;
  if (status !== undefined) changes.status = status;
  return { ok: true, changes };
}
