import "server-only";
import { crossBundleBrand } from "@/lib/cross-bundle-class";
import { AuthError } from "@/lib/auth/session";
import { storeUnavailableIn, type StoreUnavailableReason } from "@/lib/db/errors";
import { DevdraftError } from "@/lib/devdraft/errors";
import { log } from "@/lib/log";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A 400 that reproduces Devdraft's own validation answer (a list of messages, or one for a bad id). */
const INVALID_QUERY_BRAND = crossBundleBrand("InvalidQueryError");

export class InvalidQueryError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return INVALID_QUERY_BRAND.has(value);
  }

  constructor(readonly body: string | string[]) {
    super(Array.isArray(body) ? body.join("; ") : body);
    INVALID_QUERY_BRAND.mark(this);
  }
}

/** The audit log could not be written: the data must not leave the server. */
const AUDIT_UNAVAILABLE_BRAND = crossBundleBrand("AuditUnavailableError");

export class AuditUnavailableError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return AUDIT_UNAVAILABLE_BRAND.has(value);
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    AUDIT_UNAVAILABLE_BRAND.mark(this);
  }
}

/** The thing asked for is not there (or not this person's): a plain 404. */
const NOT_FOUND_BRAND = crossBundleBrand("NotFoundError");

export class NotFoundError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return NOT_FOUND_BRAND.has(value);
  }
  constructor(message: string) {
    super(message);
    NOT_FOUND_BRAND.mark(this);
  }
}

/** The thing asked for existed and is gone for good (an export file expired or already downloaded): a 410. */
const GONE_BRAND = crossBundleBrand("GoneError");

export class GoneError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return GONE_BRAND.has(value);
  }
  constructor(message: string) {
    super(message);
    GONE_BRAND.mark(this);
  }
}

/** Too many failed attempts at a password (sign-in's throttle, applied to step-up too). */
const TOO_MANY_ATTEMPTS_BRAND = crossBundleBrand("TooManyAttemptsError");

export class TooManyAttemptsError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return TOO_MANY_ATTEMPTS_BRAND.has(value);
  }
  constructor(readonly retryAfterS: number) {
    super("Too many attempts: wait a while, then try again");
    TOO_MANY_ATTEMPTS_BRAND.mark(this);
  }
}

/**
 * A reason for access was needed and not given (`missing`), or given and not valid. Answered as 403 (missing) or
 * 400 (invalid) with `code: "reason_required"` and the configured reasons: never any customer data.
 */
const REASON_REQUIRED_BRAND = crossBundleBrand("ReasonRequiredError");

export class ReasonRequiredError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return REASON_REQUIRED_BRAND.has(value);
  }
  constructor(
    readonly messages: string[],
    readonly missing: boolean,
    readonly reasons: readonly string[],
  ) {
    super(messages.join("; "));
    REASON_REQUIRED_BRAND.mark(this);
  }
}

/** A staff member's role would allow this, but a permission it needs (an export grant) is not live: 403. */
const NOT_GRANTED_BRAND = crossBundleBrand("NotGrantedError");

export class NotGrantedError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return NOT_GRANTED_BRAND.has(value);
  }
  constructor(message: string) {
    super(message);
    NOT_GRANTED_BRAND.mark(this);
  }
}

/** The request conflicts with the thing's state (an alert already acknowledged): a 409, nothing changed. */
const CONFLICT_BRAND = crossBundleBrand("ConflictError");

export class ConflictError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return CONFLICT_BRAND.has(value);
  }
  constructor(message: string) {
    super(message);
    CONFLICT_BRAND.mark(this);
  }
}

export const NO_STORE = { "Cache-Control": "private, no-store" } as const;

/** Devdraft's own error shape, used for every error the portal's API answers. */
export function jsonError(status: number, message: string | string[], requestId: string, extra?: HeadersInit, code?: string): Response {
  const headers = new Headers(extra);
  for (const [k, v] of Object.entries(NO_STORE)) headers.set(k, v);
  headers.set("x-request-id", requestId);
  return Response.json({ statusCode: status, message, error: REASONS[status] ?? "Error", ...(code ? { code } : {}) }, { status, headers });
}

/** Seconds a client should wait: a lock or a busy store usually clears in moments, a lost server takes longer. */
function retryAfterS(reason: StoreUnavailableReason | undefined): number {
  return reason === "unreachable" || reason === "connect_timeout" ? 5 : 2;
}

/** The one place errors become HTTP answers; internals and upstream bodies never leak. */
export function errorResponse(err: unknown, requestId: string): Response {
  if (err instanceof InvalidQueryError) return jsonError(400, err.body, requestId);
  if (err instanceof AuthError) return jsonError(err.status, err.message, requestId, undefined, err.code);
  if (err instanceof TooManyAttemptsError) return jsonError(429, err.message, requestId, { "Retry-After": String(err.retryAfterS) });
  if (err instanceof ReasonRequiredError) {
    const status = err.missing ? 403 : 400;
    return Response.json(
      { statusCode: status, error: REASONS[status], code: "reason_required", message: err.messages, reasons: [...err.reasons] },
      { status, headers: { ...NO_STORE, "x-request-id": requestId } },
    );
  }
  if (err instanceof NotGrantedError) return jsonError(403, err.message, requestId);
  if (err instanceof NotFoundError) return jsonError(404, err.message, requestId);
  if (err instanceof ConflictError) return jsonError(409, err.message, requestId);
  if (err instanceof GoneError) return jsonError(410, err.message, requestId);
  if (err instanceof DevdraftError) {
    const retry = err.retryAfterMs ? { "Retry-After": String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) } : undefined;
    const message = err.kind === "bad_request" && err.messages ? err.messages : err.publicMessage;
    return jsonError(err.status, message, requestId, retry);
  }
  if (err instanceof AuditUnavailableError) {
    const store = storeUnavailableIn(err);
    if (store) log.warn({ requestId, reason: store.reason }, "audit write failed: the store is unavailable");
    return jsonError(503, "The audit log cannot be written right now, so no customer data is shown. Try again shortly.", requestId, {
      "Retry-After": String(retryAfterS(store?.reason)),
    });
  }
  const store = storeUnavailableIn(err);
  if (store) {
    log.warn({ requestId, reason: store.reason, err }, "the store is unavailable");
    return jsonError(503, "The portal's database is busy or unreachable right now. Try again shortly.", requestId, {
      "Retry-After": String(retryAfterS(store.reason)),
    }, "store_unavailable");
  }
  log.error({ err, requestId }, "unexpected error");
  return jsonError(500, "Something went wrong on the portal's side", requestId);
}
