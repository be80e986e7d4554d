import { crossBundleBrand } from "../cross-bundle-class";

/**
 * Why the store could not answer in time. Every one is transient from the caller's point of view: the request is
 * answered 503 with Retry-After (lib/http/api-error.ts), never left hanging and never answered as if empty.
 */
export type StoreUnavailableReason =
  /** PostgreSQL lock_not_available (55P03): waited PG_LOCK_TIMEOUT_MS for a lock someone else holds. */
  | "lock_timeout"
  /** PostgreSQL query_canceled (57014): statement_timeout (or a cancel) ended the statement. */
  | "statement_timeout"
  /** The transaction was ended by the server (idle_in_transaction_session_timeout, 25P03) or the connection was lost. */
  | "connection_lost"
  /** No connection within PG_CONNECT_TIMEOUT_MS: the pool is full or the server does not answer. */
  | "connect_timeout"
  /** The server refuses connections (too many, starting up, shutting down). */
  | "unreachable"
  /** SQLite: another process held the write lock past busy_timeout. */
  | "busy";

const STORE_UNAVAILABLE_BRAND = crossBundleBrand("StoreUnavailableError");

export class StoreUnavailableError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return STORE_UNAVAILABLE_BRAND.has(value);
  }
  constructor(
    readonly reason: StoreUnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`the store is unavailable (${reason})`, options);
    this.name = "StoreUnavailableError";
    STORE_UNAVAILABLE_BRAND.mark(this);
  }
}

const PG_CODES: Record<string, StoreUnavailableReason> = {
  "55P03": "lock_timeout",
  "57014": "statement_timeout",
  "25P03": "connection_lost",
  "57P01": "unreachable", // admin_shutdown
  "57P02": "unreachable", // crash_shutdown
  "57P03": "unreachable", // cannot_connect_now
  "53300": "unreachable", // too_many_connections
  "08000": "connection_lost",
  "08003": "connection_lost",
  "08006": "connection_lost",
  "40P01": "lock_timeout", // deadlock_detected: one side is cancelled, as with a lock timeout
};

const NODE_CODES: Record<string, StoreUnavailableReason> = {
  ECONNREFUSED: "unreachable",
  ECONNRESET: "connection_lost",
  ETIMEDOUT: "connect_timeout",
  EPIPE: "connection_lost",
  SQLITE_BUSY: "busy",
  SQLITE_BUSY_SNAPSHOT: "busy",
  SQLITE_BUSY_TIMEOUT: "busy",
  SQLITE_LOCKED: "busy",
};

/** What pg says when the pool (or a new connection) did not deliver within connectionTimeoutMillis. */
const PG_MESSAGES: [RegExp, StoreUnavailableReason][] = [
  [/timeout exceeded when trying to connect/i, "connect_timeout"],
  [/connection terminated due to connection timeout/i, "connect_timeout"],
  [/connection terminated unexpectedly/i, "connection_lost"],
  [/terminating connection due to idle-in-transaction timeout/i, "connection_lost"],
  [/Client has encountered a connection error and is not queryable/i, "connection_lost"],
];

function reasonOf(err: unknown): StoreUnavailableReason | null {
  if (typeof err !== "object" || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    const byCode = PG_CODES[code] ?? NODE_CODES[code];
    if (byCode) return byCode;
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === "string") {
    for (const [pattern, reason] of PG_MESSAGES) if (pattern.test(message)) return reason;
  }
  return null;
}

/**
 * The store-unavailable condition in `err` or anywhere in its `cause` chain (an AuditWriteError wraps the driver's
 * error), as a typed error; null when the failure is something else (a bug, a constraint) and must stay a 500.
 */
export function storeUnavailableIn(err: unknown): StoreUnavailableError | null {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof StoreUnavailableError) return current;
    const reason = reasonOf(current);
    if (reason) return new StoreUnavailableError(reason, { cause: err });
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return null;
}
