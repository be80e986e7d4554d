import "server-only";
import { randomUUID } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { maskEmail, maskPhone } from "@/lib/customers/mask";
import { SKIP_MAX } from "@/lib/contract/query";
import type { Database, ExportJobsTable } from "@/lib/db/schema";
import { withWriteTransaction } from "@/lib/db/write-transaction";
import { DevdraftError, type DevdraftErrorKind } from "@/lib/devdraft/errors";
import { GoneError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { DevdraftClient, Customer } from "@/lib/devdraft";
import { recordExportAudit, type RecordAudit } from "./audit";
import { customerCells, EXPORT_HEADER } from "./columns";
import { newJobKey, openPage, sealPage, unwrapJobKey, type PortalExportKey } from "./crypto";
import { toCsvRow, UTF8_BOM } from "@/lib/csv/csv";
import { abortableSleep } from "@/lib/abortable-sleep";
import {
  auditFailedMessage,
  cancelledMessage,
  CAP_MESSAGE_AFTER,
  capMessageBefore,
  capMessageDone,
  doneMessage,
  DOWNLOADED_NOTE,
  downloadedGoneMessage,
  expiredMessage,
  failedMessage,
} from "./messages";
import { EXPORT_ROW_CAP, EXPORT_TAKE, type ExportFilters, type ExportProgress } from "./types";

type ExportOwner = { id: string; email: string };

type JobRow = ExportJobsTable;

/** What the per-page hook sees of a running job (progress, as just committed to the store). */
type RunningJob = { id: string; pages: number; rows: number; total: number | null; capped: boolean };

export type ExportEngineOptions = {
  /** The store every instance shares: jobs, their progress and their (encrypted) pages live there. */
  db: () => Promise<Kysely<Database>>;
  client: DevdraftClient;
  record: RecordAudit;
  /** Wraps each job's data key (lib/export/crypto.ts); the same on every instance. */
  key: PortalExportKey;
  /** Requests per minute the export may send: its share of the budget, for the time left. */
  ratePerMin: number;
  /** This process, as the runner named on the jobs it holds. */
  instanceId?: string;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  deadlineMs?: number;
  pageAttempts?: number;
  baseDelayMs?: number;
  /** How long a finished file is kept (EXPORT_TTL). */
  fileTtlMs?: number;
  /** How long a runner's claim holds without a heartbeat; another instance takes the job over after it. */
  leaseMs?: number;
  onPage?: (job: RunningJob) => void | Promise<void>;
};

export type StartOptions = {
  owner: ExportOwner;
  query: ExportFilters;
  bom: boolean;
  unmasked: boolean;
  requestId: string;
  /** The reason given for the export, recorded on its `customers.export` event. */
  purpose?: string | null;
  /** The time-boxed grant the export was started under (null for an admin), recorded in the event's detail. */
  grantId?: string | null;
};

/** A finished file, ready to stream: decrypted page by page as it is sent, never written anywhere in the clear. */
export type ExportFile = {
  size: number;
  startedAt: number;
  purpose: string | null;
  chunks(): AsyncGenerator<Uint8Array>;
  /** Deletes the pages and marks the job downloaded; called once the whole file was sent. */
  release(): Promise<void>;
};

const RETRYABLE: readonly DevdraftErrorKind[] = ["rate_limited", "unavailable", "timeout", "network", "bad_response"];
const MAX_PAGES = SKIP_MAX / EXPORT_TAKE + 1;
const LIVE = ["queued", "running"] as const;
const ENDED_WITHOUT_FILE = ["failed", "cancelled", "expired"] as const;

export class ExportBusyError extends Error {}

// Why a local run was stopped: its owner cancelled it, another instance holds it now, or this process is stopping.
class Cancelled extends Error {}
class LostLease extends Error {}
class ShuttingDown extends Error {}

/** Export jobs in the store: any instance starts, reports, cancels, serves, resumes and expires any job. */
export function createExportEngine(options: ExportEngineOptions) {
  const { client, record, key, ratePerMin } = options;
  const me = options.instanceId ?? randomUUID();
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const deadlineMs = options.deadlineMs ?? 15 * 60_000;
  const pageAttempts = options.pageAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const fileTtlMs = options.fileTtlMs ?? 60 * 60_000;
  const leaseMs = options.leaseMs ?? 15_000;
  /** Runs held by this process. */
  const local = new Map<string, { controller: AbortController; settled: Promise<void> }>();
  const iso = (ms: number) => new Date(ms).toISOString();

  const etaMs = (row: JobRow): number | null => {
    if (row.state !== "running" && row.state !== "queued") return null;
    const target = Math.min(row.total ?? EXPORT_ROW_CAP, EXPORT_ROW_CAP);
    const remaining = Math.max(0, Math.ceil(target / EXPORT_TAKE) - row.pages_done);
    return Math.round((remaining / ratePerMin) * 60_000);
  };

  const isExpired = (row: JobRow) => row.state === "expired" || (row.state === "done" && row.expires_at !== null && row.expires_at <= iso(now()));

  const view = (row: JobRow): ExportProgress => {
    const expired = isExpired(row);
    return {
      id: row.id,
      status: expired ? "expired" : row.state === "queued" ? "running" : row.state,
      query: JSON.parse(row.query) as ExportFilters,
      rows: row.rows_done,
      pages: row.pages_done,
      total: row.total,
      startedAt: row.created_at,
      finishedAt: row.finished_at,
      etaMs: etaMs(row),
      capped: row.capped === 1,
      message: expired && row.state !== "expired" ? expiredMessage(fileTtlMs) : row.message,
      fileReady: row.state === "done" && !expired && row.downloaded_at === null,
    };
  };

  const find = async (id: string, ownerId?: string): Promise<JobRow | undefined> => {
    const db = await options.db();
    let q = db.selectFrom("export_jobs").selectAll().where("id", "=", id);
    if (ownerId !== undefined) q = q.where("owner_id", "=", ownerId);
    return q.executeTakeFirst();
  };

  const deletePages = async (id: string) => {
    const db = await options.db();
    await db.deleteFrom("export_pages").where("job_id", "=", id).execute();
  };

  /** Renews this process's lease; false when the job is no longer this process's to run (taken over, cancelled). */
  const renew = async (id: string): Promise<boolean> => {
    const db = await options.db();
    const t = now();
    const result = await db
      .updateTable("export_jobs")
      .set({ lease_expires_at: iso(t + leaseMs), updated_at: iso(t) })
      .where("id", "=", id)
      .where("runner", "=", me)
      .where("state", "=", "running")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };

  /** Takes a job that nobody holds (queued, or its runner's lease ran out): one conditional UPDATE, one winner. */
  const claim = async (id: string): Promise<boolean> => {
    const db = await options.db();
    const t = now();
    const result = await db
      .updateTable("export_jobs")
      .set({ state: "running", runner: me, lease_expires_at: iso(t + leaseMs), updated_at: iso(t) })
      .where("id", "=", id)
      .where((eb) => eb.or([eb("state", "=", "queued"), eb.and([eb("state", "=", "running"), eb("lease_expires_at", "<=", iso(t))])]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };

  // One page, retried on passing trouble with backoff until the attempts or the job's deadline run out.
  const fetchPage = async (row: JobRow, signal: AbortSignal, skip: number, deadline: number) => {
    const query = JSON.parse(row.query) as ExportFilters;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.listCustomers({ ...query, take: EXPORT_TAKE, skip }, { signal, who: row.owner_id });
      } catch (error) {
        if (signal.aborted) throw error;
        const retryable = error instanceof DevdraftError && RETRYABLE.includes(error.kind);
        if (!retryable || attempt >= pageAttempts) throw error;
        const backoff = random() * baseDelayMs * 2 ** (attempt - 1);
        const waitMs = Math.max(backoff, error.retryAfterMs ?? 0);
        if (now() + waitMs >= deadline) throw error;
        await sleep(waitMs, signal);
      }
    }
  };

  const maskRow = (c: Customer): Customer => ({ ...c, email: maskEmail(c.email), phone_number: maskPhone(c.phone_number) });

  /** Runs (or resumes, from its last committed page) a job this process has just claimed. */
  const run = async (start: JobRow, dataKey: Buffer, controller: AbortController): Promise<void> => {
    const { signal } = controller;
    const id = start.id;
    const db = await options.db();
    const heartbeat = setInterval(
      () => {
        renew(id).then(
          (ours) => {
            if (!ours) controller.abort(new LostLease("the job is no longer this instance's"));
          },
          (err: unknown) => log.warn({ exportId: id, err }, "export heartbeat failed"),
        );
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    let pages = start.pages_done;
    let rows = start.rows_done;
    let total = start.total;
    let capped = start.capped === 1;
    let message = start.message;
    try {
      const deadline = Date.parse(start.created_at) + deadlineMs;
      // Resuming after the last page was committed: nothing more to read.
      let finished = pages >= MAX_PAGES;
      if (pages > 0 && !finished) {
        const last = await db
          .selectFrom("export_pages")
          .select("rows")
          .where("job_id", "=", id)
          .where("page", "=", pages - 1)
          .executeTakeFirst();
        finished = (last?.rows ?? 0) < EXPORT_TAKE;
      }
      for (let skip = pages * EXPORT_TAKE; !finished && skip <= SKIP_MAX; skip += EXPORT_TAKE) {
        if (now() > deadline) throw new DevdraftError("timeout", { detail: "export deadline" });
        const page = await fetchPage(start, signal, skip, deadline);
        if (pages === 0 && page.total !== null) {
          total = page.total;
          if (page.total > EXPORT_ROW_CAP) {
            capped = true;
            message = capMessageBefore(page.total);
          }
        }
        const customers = start.unmasked === 1 ? page.customers : page.customers.map(maskRow);
        const csv = customers.map((c) => toCsvRow(customerCells(c))).join("");
        const pageNo = pages;
        if (customers.length < EXPORT_TAKE) finished = true;
        else if (pageNo + 1 === MAX_PAGES) {
          finished = true;
          if (total === null || total > EXPORT_ROW_CAP) {
            capped = true;
            if (total === null) message = CAP_MESSAGE_AFTER;
          }
        }
        if (signal.aborted) throw signal.reason;
        // The page and the progress in one transaction, only while this process holds the job at exactly this page:
        // a resumed job neither loses nor repeats a page, whoever runs it.
        await withWriteTransaction(db, async (trx) => {
          const t = now();
          const moved = await trx
            .updateTable("export_jobs")
            .set({
              pages_done: pageNo + 1,
              rows_done: rows + customers.length,
              total,
              capped: capped ? 1 : 0,
              message,
              lease_expires_at: iso(t + leaseMs),
              updated_at: iso(t),
            })
            .where("id", "=", id)
            .where("runner", "=", me)
            .where("state", "=", "running")
            .where("pages_done", "=", pageNo)
            .executeTakeFirst();
          if (Number(moved.numUpdatedRows) !== 1) throw new LostLease("the job moved on without this instance");
          await trx
            .insertInto("export_pages")
            .values({
              job_id: id,
              page: pageNo,
              rows: customers.length,
              size: Buffer.byteLength(csv, "utf8"),
              ids: JSON.stringify(customers.map((c) => c.id)),
              data: sealPage(dataKey, id, pageNo, csv),
            })
            .execute();
        });
        pages = pageNo + 1;
        rows += customers.length;
        await options.onPage?.({ id, pages, rows, total, capped });
      }

      // On record before the file is offered: no audit, no file.
      if (!(await renew(id))) throw new LostLease("the job is no longer this instance's");
      const idRows = await db.selectFrom("export_pages").select("ids").where("job_id", "=", id).orderBy("page").execute();
      const ids = idRows.flatMap((r) => JSON.parse(r.ids) as string[]);
      try {
        await recordExportAudit(record, {
          actor: { id: start.owner_id, email: start.owner_email },
          ids,
          query: JSON.parse(start.query) as Record<string, unknown>,
          requestId: start.request_id,
          purpose: start.purpose,
          detail: { rows, pages, truncatedAtCap: capped, format: "csv", ...(start.grant_id ? { grantId: start.grant_id } : {}) },
        });
      } catch (error) {
        throw new AuditFailed(error);
      }
      if (signal.aborted) throw signal.reason;
      const capNote = total !== null ? capMessageDone(total) : CAP_MESSAGE_AFTER;
      const t = now();
      const done = await db
        .updateTable("export_jobs")
        .set({
          state: "done",
          finished_at: iso(t),
          expires_at: iso(t + fileTtlMs),
          updated_at: iso(t),
          runner: null,
          lease_expires_at: null,
          message: doneMessage(rows, pages, capped ? capNote : null),
        })
        .where("id", "=", id)
        .where("runner", "=", me)
        .where("state", "=", "running")
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new LostLease("the job was cancelled or taken over while it was recorded");
    } catch (error) {
      const reason: unknown = signal.aborted ? signal.reason : error;
      if (reason instanceof Cancelled) return; // The canceller marks the job and deletes its pages.
      if (reason instanceof LostLease || error instanceof LostLease) {
        log.info({ exportId: id, runner: me }, "export run stopped: the job is no longer this instance's");
        return;
      }
      if (reason instanceof ShuttingDown) return; // The lease is released for another instance to resume.
      const t = now();
      const text =
        error instanceof AuditFailed
          ? auditFailedMessage(rows)
          : failedMessage(rows, pages, error instanceof DevdraftError ? error.publicMessage : "an unexpected error on the portal's side");
      const failed = await db
        .updateTable("export_jobs")
        .set({ state: "failed", finished_at: iso(t), updated_at: iso(t), runner: null, lease_expires_at: null, message: text, error: errorText(error) })
        .where("id", "=", id)
        .where("runner", "=", me)
        .where("state", "=", "running")
        .executeTakeFirst()
        .catch((err: unknown) => log.error({ exportId: id, err }, "could not mark an export failed"));
      if (failed && Number(failed.numUpdatedRows) === 1) await deletePages(id);
      log.warn({ exportId: id, requestId: start.request_id, rows, pages, err: error }, "customers export failed");
    } finally {
      clearInterval(heartbeat);
    }
  };

  const launch = (row: JobRow, dataKey: Buffer) => {
    const controller = new AbortController();
    const entry = { controller, settled: Promise.resolve() };
    entry.settled = run(row, dataKey, controller)
      .catch((err: unknown) => log.error({ exportId: row.id, err }, "export run crashed"))
      .finally(() => local.delete(row.id));
    local.set(row.id, entry);
  };

  /** Claims and resumes jobs nobody holds any more (their runner died or stopped); returns the ids taken. */
  const resumeOrphans = async (): Promise<string[]> => {
    const db = await options.db();
    const t = iso(now());
    const candidates = await db
      .selectFrom("export_jobs")
      .select("id")
      .where((eb) => eb.or([eb("state", "=", "queued"), eb.and([eb("state", "=", "running"), eb("lease_expires_at", "<=", t)])]))
      .limit(20)
      .execute();
    const taken: string[] = [];
    for (const { id } of candidates) {
      if (local.has(id) || !(await claim(id))) continue;
      const row = await find(id);
      if (!row) continue;
      try {
        launch(row, unwrapJobKey(key, id, row.wrapped_key, row.key_id));
        taken.push(id);
        log.info({ exportId: id, runner: me, fromPage: row.pages_done }, "resumed an export job");
      } catch (err) {
        // Its key cannot be read here: give the lease back at once for an instance that can.
        await db
          .updateTable("export_jobs")
          .set({ lease_expires_at: iso(now()) })
          .where("id", "=", id)
          .where("runner", "=", me)
          .execute();
        log.error({ exportId: id, err }, "could not resume an export job");
      }
    }
    return taken;
  };

  /** Deletes the pages of expired files (EXPORT_TTL) and any left by ended jobs; returns the ids expired. */
  const sweep = async (): Promise<string[]> => {
    const db = await options.db();
    const t = iso(now());
    const due = await db.selectFrom("export_jobs").selectAll().where("state", "=", "done").where("expires_at", "<=", t).execute();
    const expired: string[] = [];
    for (const row of due) {
      const moved = await db
        .updateTable("export_jobs")
        .set({ state: "expired", updated_at: t, message: row.downloaded_at === null ? expiredMessage(fileTtlMs) : (row.message ?? "") })
        .where("id", "=", row.id)
        .where("state", "=", "done")
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) continue;
      await deletePages(row.id);
      expired.push(row.id);
      if (row.downloaded_at === null) {
        await record({
          actor: null,
          action: "export.expire",
          targets: [],
          query: { exportId: row.id },
          requestId: randomUUID(),
          outcome: "ok",
          detail: { exportId: row.id, ownerId: row.owner_id, finishedAt: row.finished_at, rows: row.rows_done },
        }).catch((err: unknown) => log.error({ exportId: row.id, err }, "could not record an export's expiry"));
      }
    }
    // Pages of jobs that ended without a file, or whose file was downloaded (a crash between the two writes).
    await db
      .deleteFrom("export_pages")
      .where("job_id", "in", (eb) =>
        eb
          .selectFrom("export_jobs")
          .select("id")
          .where((w) => w.or([w("state", "in", [...ENDED_WITHOUT_FILE]), w("downloaded_at", "is not", null)])),
      )
      .execute();
    return expired;
  };

  return {
    instanceId: me,
    async start(start: StartOptions): Promise<ExportProgress> {
      const db = await options.db();
      const id = randomUUID();
      const { dataKey, wrapped } = newJobKey(key, id);
      const t = now();
      const row: JobRow = {
        id,
        owner_id: start.owner.id,
        owner_email: start.owner.email,
        query: JSON.stringify(start.query),
        bom: start.bom ? 1 : 0,
        unmasked: start.unmasked ? 1 : 0,
        request_id: start.requestId,
        purpose: start.purpose ?? null,
        grant_id: start.grantId ?? null,
        state: "running",
        pages_done: 0,
        rows_done: 0,
        total: null,
        capped: 0,
        message: null,
        runner: me,
        lease_expires_at: iso(t + leaseMs),
        wrapped_key: wrapped,
        key_id: key.id,
        created_at: iso(t),
        updated_at: iso(t),
        finished_at: null,
        expires_at: null,
        downloaded_at: null,
        error: null,
      };
      try {
        await db.insertInto("export_jobs").values(row).execute();
      } catch (error) {
        // The store holds one live export per person (a partial unique index), whichever instance started it.
        const live = await db
          .selectFrom("export_jobs")
          .select("id")
          .where("owner_id", "=", start.owner.id)
          .where("state", "in", [...LIVE])
          .executeTakeFirst();
        if (live) throw new ExportBusyError("You already have an export running; cancel it or wait for it to finish.");
        throw error;
      }
      launch(row, dataKey);
      return view(row);
    },
    async get(id: string, ownerId: string): Promise<ExportProgress | undefined> {
      const row = await find(id, ownerId);
      return row && view(row);
    },
    /** The owner's jobs still live or finished within EXPORT_TTL, oldest first (the page shows the last). */
    async list(ownerId: string): Promise<ExportProgress[]> {
      const db = await options.db();
      const rows = await db
        .selectFrom("export_jobs")
        .selectAll()
        .where("owner_id", "=", ownerId)
        .where((eb) => eb.or([eb("finished_at", "is", null), eb("finished_at", ">", iso(now() - fileTtlMs))]))
        .orderBy("created_at", "desc")
        .limit(20)
        .execute();
      return rows.reverse().map(view);
    },
    /** Stops a live job wherever it runs; this instance's run stops at once, another's at its next heartbeat. */
    async cancel(id: string, ownerId: string): Promise<ExportProgress | undefined> {
      const before = await find(id, ownerId);
      if (!before) return undefined;
      if (before.state === "running" || before.state === "queued") {
        const run = local.get(id);
        if (run) {
          run.controller.abort(new Cancelled("Export cancelled"));
          await run.settled;
        }
        const db = await options.db();
        const row = (await find(id, ownerId)) ?? before;
        const t = iso(now());
        await db
          .updateTable("export_jobs")
          .set({
            state: "cancelled",
            finished_at: t,
            updated_at: t,
            runner: null,
            lease_expires_at: null,
            message: cancelledMessage(row.rows_done, row.pages_done),
          })
          .where("id", "=", id)
          .where("state", "in", [...LIVE])
          .execute();
        await deletePages(id);
      }
      return this.get(id, ownerId);
    },
    /** The finished file for its owner; undefined while there is none; GoneError once it is gone for good. */
    async file(id: string, ownerId: string): Promise<ExportFile | undefined> {
      const row = await find(id, ownerId);
      if (!row) return undefined;
      if (isExpired(row)) throw new GoneError(expiredMessage(fileTtlMs));
      if (row.state !== "done") return undefined;
      if (row.downloaded_at !== null) throw new GoneError(downloadedGoneMessage);
      const db = await options.db();
      const pages = await db.selectFrom("export_pages").select(["page", "size", "data"]).where("job_id", "=", id).orderBy("page").execute();
      if (pages.length !== row.pages_done) throw new GoneError(downloadedGoneMessage);
      const dataKey = unwrapJobKey(key, id, row.wrapped_key, row.key_id);
      const header = (row.bom === 1 ? UTF8_BOM : "") + toCsvRow(EXPORT_HEADER);
      return {
        size: Buffer.byteLength(header, "utf8") + pages.reduce((sum, p) => sum + p.size, 0),
        startedAt: Date.parse(row.created_at),
        purpose: row.purpose,
        async *chunks() {
          yield Buffer.from(header, "utf8");
          for (const p of pages) yield openPage(dataKey, id, p.page, p.data);
        },
        async release() {
          const t = iso(now());
          await db
            .updateTable("export_jobs")
            .set({ downloaded_at: t, updated_at: t, message: `${row.message ?? ""} ${DOWNLOADED_NOTE}`.trim() })
            .where("id", "=", id)
            .where("downloaded_at", "is", null)
            .execute();
          await deletePages(id);
        },
      };
    },
    /** Resolves when this process's run of the job has ended, whichever way. */
    async settled(id: string): Promise<void> {
      await local.get(id)?.settled;
    },
    sweep,
    resumeOrphans,
    /** Stops this process's runs and gives their leases back, so another instance resumes them at once. */
    async shutdown(): Promise<void> {
      const runs = [...local.entries()];
      for (const [, run] of runs) run.controller.abort(new ShuttingDown("portal stopping"));
      await Promise.all(runs.map(([, run]) => run.settled));
      const db = await options.db();
      const ids = runs.map(([id]) => id);
      if (ids.length > 0)
        await db
          .updateTable("export_jobs")
          .set({ lease_expires_at: iso(now()) })
          .where("id", "in", ids)
          .where("runner", "=", me)
          .where("state", "=", "running")
          .execute();
    },
  };
}

export type ExportEngine = ReturnType<typeof createExportEngine>;

/**
 * Earlier versions wrote CSV files (unmasked ones too) under PORTAL_DATA_DIR/exports; nothing is written there now,
 * so whatever is left is removed at start-up.
 */
export async function removeExportFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  await Promise.all(names.map((name) => rm(join(dir, name), { recursive: true, force: true })));
  return names;
}

function errorText(error: unknown): string {
  if (error instanceof AuditFailed) return "audit write failed";
  if (error instanceof DevdraftError) return `Devdraft ${error.kind}`;
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : "unknown";
}

class AuditFailed extends Error {
  constructor(cause: unknown) {
    super("audit write failed", { cause });
  }
}
