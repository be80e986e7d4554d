import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import { toOcsf } from "./ocsf";
import { backoffMs, claimLease, ensureCursor, eventsAfter, markDelivered, markFailed, readCursor, releaseLease } from "./outbox";
import type { OutgoingEvent, Transport } from "./transports";

export interface SinkConfig {
  name: string;
  transport: Transport;
}

export interface ShipperOptions {
  db: () => Promise<Kysely<Database>>;
  sinks: readonly SinkConfig[];
  batchSize: number;
  retryMaxMs: number;
  pollMs: number;
  /** How long a lease lasts without renewal (default 30 s; longer than a send's timeout). */
  leaseMs?: number;
  /** This instance's name in lease_holder. */
  holder?: string;
  onError?: (sink: string, err: unknown) => void;
  onDelivered?: (sink: string, fromSeq: number, toSeq: number) => void;
  random?: () => number;
}

export interface Shipper {
  /** Ships every sink until its backlog is empty, a send fails, or another instance holds the sink. */
  flush(): Promise<void>;
  /** Stops the loops; makes a last attempt within `deadlineMs` and releases the leases. */
  stop(deadlineMs?: number): Promise<void>;
}

type Step = "sent" | "idle" | "failed" | "waiting" | "elsewhere";

/**
 * Streams the audit log to each sink, at least once and in seq order. Per sink: take the lease, read the events after
 * the cursor, send them, and move the cursor only after the receiver accepted. A failure is kept in the row with the
 * next attempt time (exponential backoff with jitter, capped), which every instance honours.
 */
export function startSiemShipper(opts: ShipperOptions): Shipper {
  const leaseMs = opts.leaseMs ?? 30_000;
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const random = opts.random ?? Math.random;
  let stopped = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const busy = new Map<string, Promise<Step>>();

  async function stepOnce(sink: SinkConfig): Promise<Step> {
    const db = await opts.db();
    const now = new Date();
    let cursor = await readCursor(db, sink.name);
    if (!cursor) {
      await ensureCursor(db, sink.name, now);
      cursor = await readCursor(db, sink.name);
      if (!cursor) return "idle";
    }
    if (Date.parse(cursor.next_attempt_at) > now.getTime()) return "waiting";
    // Idle polls only read: the lease (a write) is taken when there is something to send.
    if ((await eventsAfter(db, cursor.delivered_seq, 1)).length === 0) return "idle";
    if (!(await claimLease(db, sink.name, holder, now, leaseMs))) return "elsewhere";
    // Read again under the lease: another instance may have moved the cursor or failed meanwhile.
    cursor = await readCursor(db, sink.name);
    if (!cursor) return "idle";
    if (Date.parse(cursor.next_attempt_at) > now.getTime()) return "waiting";
    const rows = await eventsAfter(db, cursor.delivered_seq, opts.batchSize);
    if (rows.length === 0) return "idle";
    const events = await outgoing(db, rows);
    try {
      await sink.transport.send(events);
    } catch (err) {
      const attempts = cursor.attempts + 1;
      const at = new Date();
      await markFailed(
        db,
        sink.name,
        holder,
        err instanceof Error ? err.message : String(err),
        attempts,
        new Date(at.getTime() + backoffMs(attempts, opts.retryMaxMs, random)),
        at,
      );
      opts.onError?.(sink.name, err);
      return "failed";
    }
    const last = rows[rows.length - 1]?.seq ?? cursor.delivered_seq;
    if (!(await markDelivered(db, sink.name, holder, cursor.delivered_seq, last, new Date()))) return "elsewhere";
    opts.onDelivered?.(sink.name, cursor.delivered_seq, last);
    return "sent";
  }

  // One step per sink at a time (the loop, flush() and stop() share it).
  function step(sink: SinkConfig): Promise<Step> {
    const running = busy.get(sink.name);
    if (running) return running.then(() => step(sink));
    const next = stepOnce(sink)
      .catch((err: unknown): Step => {
        opts.onError?.(sink.name, err);
        return "failed";
      })
      .finally(() => busy.delete(sink.name));
    busy.set(sink.name, next);
    return next;
  }

  async function loop(sink: SinkConfig): Promise<void> {
    if (stopped) return;
    const result = await step(sink);
    // stop() may have run while the step awaited.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (stopped) return;
    let delay = opts.pollMs;
    if (result === "sent") delay = 0;
    else if (result === "waiting" || result === "failed") {
      const cursor = await opts
        .db()
        .then((db) => readCursor(db, sink.name))
        .catch(() => undefined);
      const until = cursor ? Date.parse(cursor.next_attempt_at) - Date.now() : opts.pollMs;
      // At least one poll interval: an error outside the send (the store, a mapping) sets no next attempt time.
      delay = Math.min(Math.max(until, opts.pollMs), Math.max(opts.retryMaxMs, opts.pollMs));
    }
    const timer = setTimeout(() => void loop(sink), delay);
    timer.unref();
    timers.set(sink.name, timer);
  }

  for (const sink of opts.sinks) void loop(sink);

  async function flushSink(sink: SinkConfig): Promise<void> {
    for (;;) {
      const result = await step(sink);
      if (result !== "sent") return;
    }
  }

  return {
    async flush() {
      await Promise.all(opts.sinks.map(flushSink));
    },
    async stop(deadlineMs = 3000) {
      if (stopped) return;
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      const last = Promise.all(
        opts.sinks.map(async (sink) => {
          await flushSink(sink);
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([last, new Promise((r) => (timer = setTimeout(r, deadlineMs)))]);
      clearTimeout(timer);
      // Hand the sinks over at once rather than after the lease runs out.
      const db = await opts.db();
      await Promise.all(opts.sinks.map((s) => releaseLease(db, s.name, holder).catch(() => {})));
    },
  };
}

/** The events as they go out: OCSF with the staff members' current names (no customer data beyond ids). */
async function outgoing(db: Kysely<Database>, rows: readonly AuditEventRow[]): Promise<OutgoingEvent[]> {
  const ids = [...new Set(rows.map((r) => r.actor_id).filter((id): id is string => id !== null))];
  const staff = ids.length > 0 ? await db.selectFrom("staff").select(["id", "name"]).where("id", "in", ids).execute() : [];
  const names = new Map(staff.map((s) => [s.id, s.name]));
  return rows.map((row) => {
    const ocsf = toOcsf(row, names);
    return { id: row.id, seq: row.seq, at: row.at, action: row.action, severityId: Number(ocsf.severity_id), ocsf };
  });
}
