import "server-only";
import type { AuditAction } from "@/lib/audit/actions";
import type { AuditInput } from "@/lib/audit/input";
import { log } from "@/lib/log";

// Distinct addresses tracked in one minute; past this the rest share one bucket, so memory stays bounded.
const MAX_ADDRESSES = 10_000;
const OVERFLOW = "(other addresses)";

type Bucket = { minute: number; full: number; counted: number; first: string; last: string; actions: Set<string> };
type RecordFn = (input: AuditInput) => Promise<unknown>;

export interface AnonymousRefusals {
  /** Records a refusal of a client with no session in full, or counts it into its address's summary. */
  refuse(input: AuditInput & { origin: NonNullable<AuditInput["origin"]> }): Promise<void>;
  /** Writes the summaries of every minute that has ended (all of them with `all`). */
  flush(all?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Flood-proofing without losing what matters: a client with no session can make the portal write at most
 * `fullPerMinute` events a minute (AUDIT_FULL_REFUSALS_PER_MINUTE), plus one `access.refused` summary with the count
 * and first/last time.
 * Signed-in staff never pass through here: they are always recorded in full.
 */
export function createAnonymousRefusals(
  record: RecordFn,
  { fullPerMinute, now = () => Date.now(), requestId = () => crypto.randomUUID() }: { fullPerMinute: number; now?: () => number; requestId?: () => string },
): AnonymousRefusals {
  const buckets = new Map<string, Bucket>();
  const timer = setInterval(() => void flush(false), 15_000);
  timer.unref();

  // A refusal is best effort: nothing the recorder does, not even a synchronous throw, reaches the caller.
  async function write(input: AuditInput, what: string): Promise<void> {
    try {
      await record(input);
    } catch (err) {
      log.error({ err, action: input.action, clientAddress: input.origin?.clientAddress }, `could not record ${what}`);
    }
  }

  async function flush(all: boolean): Promise<void> {
    const minute = Math.floor(now() / 60_000);
    const done: Array<[string, Bucket]> = [];
    for (const [address, b] of buckets) {
      if (all || b.minute < minute) {
        buckets.delete(address);
        if (b.counted > 0) done.push([address, b]);
      }
    }
    await Promise.all(
      done.map(([address, b]) =>
        write(
          {
            actor: null,
            action: "access.refused" satisfies AuditAction,
            targets: [],
            query: {},
            requestId: requestId(),
            outcome: "denied",
            refusal: "summary of refusals without a session",
            origin: { sessionId: null, clientAddress: address, userAgent: null },
            detail: { count: b.counted, first: b.first, last: b.last, actions: [...b.actions].sort(), minute: new Date(b.minute * 60_000).toISOString() },
          },
          "a refusal summary",
        ),
      ),
    );
  }

  return {
    async refuse(input) {
      const at = now();
      const minute = Math.floor(at / 60_000);
      let address = input.origin.clientAddress ?? "unknown";
      if (!buckets.has(address) && buckets.size >= MAX_ADDRESSES) address = OVERFLOW;
      let b = buckets.get(address);
      if (b && b.minute !== minute) {
        await flush(false);
        // Refusals arriving together at a minute's turn: the first to get here started the new bucket.
        b = buckets.get(address);
      }
      if (!b) {
        b = { minute, full: 0, counted: 0, first: "", last: "", actions: new Set() };
        buckets.set(address, b);
      }
      if (b.full < fullPerMinute) {
        b.full++;
        await write(input, "a refusal");
        return;
      }
      const iso = new Date(at).toISOString();
      if (b.counted === 0) b.first = iso;
      b.counted++;
      b.last = iso;
      b.actions.add(input.action);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush(true);
    },
  };
}
