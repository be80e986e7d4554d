/** Re-statements of class-validator's default validators and messages, so 400 bodies match NestJS. */

/** validator.js isLength: surrogate pairs and presentation selectors count as one character. */
function validatorLength(value: string): number {
  const selectors = value.match(/\uFE0F|\uFE0E/g)?.length ?? 0;
  const pairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - selectors - pairs;
}

export function isEnumMessage(property: string, value: unknown, allowed: readonly string[]): string | null {
  return typeof value === "string" && allowed.includes(value) ? null : `${property} must be one of the following values: ${allowed.join(", ")}`;
}

export function maxLengthMessage(property: string, value: unknown, max: number): string | null {
  return typeof value === "string" && validatorLength(value) <= max ? null : `${property} must be shorter than or equal to ${max} characters`;
}

/** class-validator's @Length(min, max) message selection. */
export function lengthMessage(property: string, value: unknown, min: number, max: number): string | null {
  if (typeof value === "string") {
    const length = validatorLength(value);
    if (length >= min && length <= max) return null;
    if (length < min) return `${property} must be longer than or equal to ${min} characters`;
    return `${property} must be shorter than or equal to ${max} characters`;
  }
  if (!value) return `${property} must be longer than or equal to ${min} characters`;
  return `${property} must be longer than or equal to ${min} and shorter than or equal to ${max} characters`;
}

export function isStringMessage(property: string, value: unknown): string | null {
  return typeof value === "string" ? null : `${property} must be a string`;
}

export function isNotEmptyMessage(property: string, value: unknown): string | null {
  return value !== "" && value !== null && value !== undefined ? null : `${property} should not be empty`;
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

/** A simplification of validator.js isEmail: one @, a dotted domain with an alphabetic TLD. */
export function isEmailMessage(property: string, value: unknown): string | null {
  return typeof value === "string" && EMAIL.test(value) ? null : `${property} must be an email`;
}

export function collect(...messages: Array<string | null>): string[] {
  return messages.filter((m): m is string => m !== null);
}
