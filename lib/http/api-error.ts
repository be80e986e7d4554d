import "server-only";
import { AuthError } from "@/lib/errors";
import { storeUnavailableIn, type StoreUnavailableReason } from "@/lib/db/errors";
import { DevdraftError } from "@/lib/devdraft/errors";
import { AuditUnavailableError, InvalidQueryError, PortalError, ReasonRequiredError, TooManyAttemptsError, type PortalErrorCode } from "@/lib/errors";
import type { ListError } from "@/lib/errors";
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

export const NO_STORE = { "Cache-Control": "private, no-store" } as const;

/** Devdraft's own error shape, used for every error the portal's API answers. */
export function jsonError(
  status: number,
  message: string | string[],
  requestId: string,
  extra?: HeadersInit,
  code?: string,
  more?: Record<string, unknown>,
): Response {
  const headers = new Headers(extra);
  for (const [k, v] of Object.entries(NO_STORE)) headers.set(k, v);
  headers.set("x-request-id", requestId);
  return Response.json({ statusCode: status, message, error: REASONS[status] ?? "Error", ...(code ? { code } : {}), ...more }, { status, headers });
}

/** Seconds a client should wait: a lock or a busy store usually clears in moments, a lost server takes longer. */
function retryAfterS(reason: StoreUnavailableReason | undefined): number {
  return reason === "unreachable" || reason === "connect_timeout" ? 5 : 2;
}

/** An error as the outside sees it: the status, a message safe to show, and what a client needs to act on it. */
type PublicError = {
  status: number;
  message: string | string[];
  /** Machine-readable reason the browser acts on (`step_up_required`, `reason_required`, `store_unavailable`). */
  code?: string;
  retryAfterS?: number;
  /** The configured reasons, with `reason_required`. */
  reasons?: string[];
};

/** Status per code of the portal's own errors; reason_required depends on whether a reason was given at all. */
const STATUS: Record<Exclude<PortalErrorCode, "reason_required">, number> = {
  invalid_query: 400,
  not_found: 404,
  gone: 410,
  conflict: 409,
  too_many_attempts: 429,
  not_granted: 403,
  audit_unavailable: 503,
};

/**
 * The one place errors become what the outside sees, for API answers (`errorResponse`) and server-rendered pages
 * (`listErrorOf`) alike; internals and upstream bodies never leak. Logs what the operator needs.
 */
function publicError(err: unknown, requestId: string): PublicError {
  if (err instanceof ReasonRequiredError) return { status: err.missing ? 403 : 400, code: "reason_required", message: err.messages, reasons: [...err.reasons] };
  if (err instanceof InvalidQueryError) return { status: 400, message: err.body };
  if (err instanceof TooManyAttemptsError) return { status: 429, message: err.message, retryAfterS: err.retryAfterS };
  if (err instanceof AuditUnavailableError) {
    const store = storeUnavailableIn(err);
    if (store) log.warn({ requestId, reason: store.reason }, "audit write failed: the store is unavailable");
    return {
      status: 503,
      message: "The audit log cannot be written right now, so no customer data is shown. Try again shortly.",
      retryAfterS: retryAfterS(store?.reason),
    };
  }
  if (err instanceof PortalError && err.code !== "reason_required") return { status: STATUS[err.code], message: err.message };
  if (err instanceof AuthError) return { status: err.status, message: err.message, ...(err.code ? { code: err.code } : {}) };
  if (err instanceof DevdraftError) {
    const message = err.kind === "bad_request" && err.messages ? err.messages : err.publicMessage;
    return { status: err.status, message, ...(err.retryAfterMs ? { retryAfterS: Math.max(1, Math.ceil(err.retryAfterMs / 1000)) } : {}) };
  }
  const store = storeUnavailableIn(err);
  if (store) {
    log.warn({ requestId, reason: store.reason, err }, "the store is unavailable");
    return {
      status: 503,
      code: "store_unavailable",
      message: "The portal's database is busy or unreachable right now. Try again shortly.",
      retryAfterS: retryAfterS(store.reason),
    };
  }
  log.error({ err, requestId }, "unexpected error");
  return { status: 500, message: "Something went wrong on the portal's side" };
}

/** An error as an API answer, in Devdraft's error shape. */
export function errorResponse(err: unknown, requestId: string): Response {
  const { status, message, code, retryAfterS: retry, reasons } = publicError(err, requestId);
  return jsonError(status, message, requestId, retry === undefined ? undefined : { "Retry-After": String(retry) }, code, reasons && { reasons });
}

/** An error as a server-rendered page shows it: the same status, message and retry delay the API would answer. */
export function listErrorOf(err: unknown, requestId: string): ListError {
  const { status, message, retryAfterS: retry } = publicError(err, requestId);
  const messages = Array.isArray(message) ? message : [message];
  return { status, message: messages.join("; "), messages, retryAfterSec: retry ?? null };
}
