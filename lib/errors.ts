import { crossBundleBrand } from "@/lib/cross-bundle-class";

/**
 * The portal's own domain errors: what went wrong, as a code, whatever layer meets it. lib/http/api-error.ts turns
 * each into an answer in one function (`publicError`); nothing else decides a status. The upstream's failures
 * (DevdraftError, lib/devdraft/errors.ts), the store's (StoreUnavailableError, lib/db/errors.ts) and the session's
 * (AuthError, lib/auth/session.ts) are domain errors of their own modules and go through the same function.
 */
export type PortalErrorCode =
  /** The input is not valid; the body repeats Devdraft's own validation answer (a list of messages, or one). */
  | "invalid_query"
  /** The thing asked for is not there, or not this person's. */
  | "not_found"
  /** It existed and is gone for good (an export file expired or already downloaded). */
  | "gone"
  /** The request conflicts with the thing's state (an alert already acknowledged); nothing changed. */
  | "conflict"
  /** Too many failed attempts at a password (sign-in's throttle, applied to step-up too). */
  | "too_many_attempts"
  /** A reason for access was needed and not given, or given and not valid. */
  | "reason_required"
  /** The role would allow this, but a permission it needs (an export grant) is not live. */
  | "not_granted"
  /** The audit log could not be written: the data must not leave the server. */
  | "audit_unavailable";

/** An error as a page shows it, from the browser's fetch or a server render alike (lib/http/api-error.ts `listErrorOf`). */
export type ListError = { status: number; message: string; messages: string[]; retryAfterSec: number | null };

const PORTAL_ERROR = crossBundleBrand("PortalError");

/**
 * Base of the codes above. `instanceof` holds across Next's bundles (lib/cross-bundle-class.ts): a subclass matches
 * an error with its code, PortalError any of them.
 */
export class PortalError extends Error {
  static readonly code: PortalErrorCode | undefined = undefined;

  static [Symbol.hasInstance](value: unknown): boolean {
    return PORTAL_ERROR.has(value) && (this.code === undefined || (value as PortalError).code === this.code);
  }

  constructor(
    readonly code: PortalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    PORTAL_ERROR.mark(this);
  }
}

export class InvalidQueryError extends PortalError {
  static override readonly code = "invalid_query";
  constructor(readonly body: string | string[]) {
    super("invalid_query", Array.isArray(body) ? body.join("; ") : body);
  }
}

export class NotFoundError extends PortalError {
  static override readonly code = "not_found";
  constructor(message: string) {
    super("not_found", message);
  }
}

export class GoneError extends PortalError {
  static override readonly code = "gone";
  constructor(message: string) {
    super("gone", message);
  }
}

export class ConflictError extends PortalError {
  static override readonly code = "conflict";
  constructor(message: string) {
    super("conflict", message);
  }
}

export class TooManyAttemptsError extends PortalError {
  static override readonly code = "too_many_attempts";
  constructor(readonly retryAfterS: number) {
    super("too_many_attempts", "Too many attempts: wait a while, then try again");
  }
}

/** `missing`: no reason was given (403); otherwise the one given is not valid (400). Carries the configured reasons. */
export class ReasonRequiredError extends PortalError {
  static override readonly code = "reason_required";
  constructor(
    readonly messages: string[],
    readonly missing: boolean,
    readonly reasons: readonly string[],
  ) {
    super("reason_required", messages.join("; "));
  }
}

export class NotGrantedError extends PortalError {
  static override readonly code = "not_granted";
  constructor(message: string) {
    super("not_granted", message);
  }
}

export class AuditUnavailableError extends PortalError {
  static override readonly code = "audit_unavailable";
  constructor(message: string, options?: { cause?: unknown }) {
    super("audit_unavailable", message, options);
  }
}

const AUTH_ERROR_BRAND = crossBundleBrand("AuthError");

/** Not signed in (401), or signed in without the right (403); `code` is what the browser acts on (`step_up_required`). */
export class AuthError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return AUTH_ERROR_BRAND.has(value);
  }

  constructor(
    readonly status: 401 | 403,
    message: string,
    /** A machine-readable reason the browser acts on (`step_up_required`). */
    readonly code?: string,
  ) {
    super(message);
    AUTH_ERROR_BRAND.mark(this);
  }
}
