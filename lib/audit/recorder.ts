import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import { canonicalJson, NotJsonError } from "./canonical-json";
import { AuditInputError, AuditRecorderClosedError, AuditWriteError } from "./errors";
import { type AuditInput, auditInputSchema, NO_ORIGIN } from "./input";
import { appendToChain, type PendingEvent } from "./write-batch";

export type AuditEvent = AuditEventRow;

/** Reported once per committed or failed transaction; lets callers observe group commit. */
export interface AuditBatchInfo {
  size: number;
  ok: boolean;
  durationMs: number;
}

export interface AuditRecorderOptions {
  /** Most events written in one transaction (default 500). */
  maxBatchSize?: number;
  /** Called after each batch settles. Exceptions thrown by it are ignored. */
  onBatch?: (info: AuditBatchInfo) => void;
  /** Clock for `at` (default: now). */
  now?: () => Date;
}

export interface AuditRecorder {
  /** Resolves with the stored event once its transaction committed; rejects if nothing was written. */
  record(input: AuditInput): Promise<AuditEvent>;
  /** Resolves when every event recorded so far has settled. */
  flush(): Promise<void>;
  /** Rejects further records and waits for queued ones. Does not close the database. */
  close(): Promise<void>;
}

const MAX_JSON_CHARS = 16_384;
/** A stored query is cut here; the SHA-256 of the whole stays, so a copy can still be matched. */
export const MAX_QUERY_CHARS = 2_048;
// Targets are ids: room for MAX_TARGETS UUIDs with their quotes and commas.
const MAX_TARGETS_JSON_CHARS = 512 * 1024;

interface Queued {
  event: PendingEvent;
  resolve: (row: AuditEvent) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit: the first record() starts a transaction straight away (on the next microtask);
 * records arriving while it is in flight queue up and go together in the next transaction.
 */
export function createAuditRecorder(db: Kysely<Database>, opts: AuditRecorderOptions = {}): AuditRecorder {
  const maxBatchSize = Math.max(1, opts.maxBatchSize ?? 500);
  const now = opts.now ?? (() => new Date());
  const queue: Queued[] = [];
  let draining: Promise<void> | null = null;
  let closed = false;

  function schedule(): void {
    if (draining) return;
    draining = Promise.resolve()
      .then(drain)
      .finally(() => {
        draining = null;
        if (queue.length > 0) schedule();
      });
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatchSize);
      const started = performance.now();
      let ok = false;
      try {
        const rows = await appendToChain(
          db,
          batch.map((q) => q.event),
        );
        ok = true;
        batch.forEach((q, i) => {
          const row = rows[i];
          if (row) q.resolve(row);
          else q.reject(new AuditWriteError({ cause: new Error("missing row for queued event") }));
        });
      } catch (cause) {
        const error = new AuditWriteError({ cause });
        for (const q of batch) q.reject(error);
      }
      try {
        opts.onBatch?.({ size: batch.length, ok, durationMs: performance.now() - started });
      } catch {
        // An observer must not be able to break audit writes.
      }
    }
  }

  return {
    record(input) {
      if (closed) return Promise.reject(new AuditRecorderClosedError());
      let event: PendingEvent;
      try {
        event = toPendingEvent(input, now());
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<AuditEvent>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        schedule();
      });
    },
    async flush() {
      while (draining) await draining;
    },
    async close() {
      closed = true;
      while (draining) await draining;
    },
  };
}

/** Validates and serialises one input into the hashed fields (used by the recorder and by retention). */
export function toPendingEvent(input: AuditInput, at: Date): PendingEvent {
  const parsed = auditInputSchema.safeParse(input);
  if (!parsed.success) throw new AuditInputError(`invalid audit input: ${parsed.error.message}`, { cause: parsed.error });
  const { actor, action, targets, query, requestId, outcome, detail, refusal, purpose } = parsed.data;
  const origin = parsed.data.origin ?? NO_ORIGIN;
  const fields = {
    id: randomUUID(),
    at: at.toISOString(),
    actor_id: actor?.id ?? null,
    actor_email: actor?.email.toLowerCase() ?? null,
    action,
    targets: boundedJson(targets, "targets", MAX_TARGETS_JSON_CHARS),
    query: cappedQuery(query),
    request_id: requestId,
    outcome,
    detail: detail === undefined ? null : boundedJson(detail, "detail"),
    session_id: origin.sessionId,
    client_address: origin.clientAddress,
    user_agent: origin.userAgent,
    refusal: refusal ?? null,
    purpose: purpose ?? null,
  };
  return { fields, targets };
}

/** The query as canonical JSON, or past MAX_QUERY_CHARS its first characters with the length and hash of the whole. */
function cappedQuery(query: Record<string, unknown>): string {
  const text = boundedJson(query, "query", Number.POSITIVE_INFINITY);
  if (text.length <= MAX_QUERY_CHARS) return text;
  const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
  return canonicalJson({ truncated: text.slice(0, MAX_QUERY_CHARS), chars: text.length, sha256 });
}

function boundedJson(value: unknown, name: string, max = MAX_JSON_CHARS): string {
  let text: string;
  try {
    text = canonicalJson(value);
  } catch (error) {
    if (error instanceof NotJsonError) throw new AuditInputError(`audit ${name}: ${error.message}`, { cause: error });
    throw error;
  }
  if (text.length > max) throw new AuditInputError(`audit ${name} exceeds ${max} characters`);
  return text;
}
