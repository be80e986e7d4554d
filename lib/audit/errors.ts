import "server-only";

/** The input was rejected before anything was queued; nothing was written. */
export class AuditInputError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = "AuditInputError";
  }
}

/** The batch containing this event was rolled back; nothing of it was written. Callers answer 503. */
export class AuditWriteError extends Error {
  constructor(options: { cause: unknown }) {
    super("audit event could not be written", options);
    this.name = "AuditWriteError";
  }
}

/** record() was called after close(). */
export class AuditRecorderClosedError extends Error {
  constructor() {
    super("audit recorder is closed");
    this.name = "AuditRecorderClosedError";
  }
}
