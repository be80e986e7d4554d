import "server-only";
import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { maskEmail, maskPhone } from "@/lib/customers/mask";
import { SKIP_MAX } from "@/lib/customers/query";
import { DevdraftError, type DevdraftErrorKind } from "@/lib/devdraft/errors";
import { log } from "@/lib/log";
import type { DevdraftClient, Customer } from "@/lib/devdraft";
import { recordExportAudit, type RecordAudit } from "./audit";
import { customerCells, EXPORT_HEADER } from "./columns";
import { toCsvRow, UTF8_BOM } from "./csv";
import { abortableSleep } from "@/lib/abortable-sleep";
import { auditFailedMessage, cancelledMessage, CAP_MESSAGE_AFTER, capMessageBefore, capMessageDone, doneMessage, failedMessage } from "./messages";
import { EXPORT_ROW_CAP, EXPORT_TAKE, type ExportFilters, type ExportProgress } from "./types";

export type ExportOwner = { id: string; email: string };

export type ExportJob = {
  id: string;
  owner: ExportOwner;
  query: ExportFilters;
  format: "csv";
  bom: boolean;
  unmasked: boolean;
  requestId: string;
  purpose?: string | null;
  grantId?: string | null;
  status: ExportProgress["status"];
  rows: number;
  pages: number;
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
  capped: boolean;
  message: string | null;
  /** The finished, audited file; null until then and after it is gone. */
  file: string | null;
  controller: AbortController;
  settled: Promise<void>;
};

export type ExportEngineOptions = {
  client: DevdraftClient;
  record: RecordAudit;
  /** Where files are written (PORTAL_DATA_DIR/exports). */
  dir: string;
  /** Requests per minute the export may send: its share of the budget, for the time left. */
  ratePerMin: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  deadlineMs?: number;
  pageAttempts?: number;
  baseDelayMs?: number;
  fileTtlMs?: number;
  onPage?: (job: ExportJob) => void;
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

const RETRYABLE: readonly DevdraftErrorKind[] = ["rate_limited", "unavailable", "timeout", "network", "bad_response"];
const MAX_PAGES = SKIP_MAX / EXPORT_TAKE + 1;
export class ExportBusyError extends Error {}

/** In-process export jobs: one portal process holds them (several instances would need them in the store). */
export function createExportEngine(options: ExportEngineOptions) {
  const { client, record, dir, ratePerMin } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const deadlineMs = options.deadlineMs ?? 15 * 60_000;
  const pageAttempts = options.pageAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const fileTtlMs = options.fileTtlMs ?? 60 * 60_000;
  const jobs = new Map<string, ExportJob>();

  const etaMs = (job: ExportJob): number | null => {
    if (job.status !== "running") return null;
    const target = Math.min(job.total ?? EXPORT_ROW_CAP, EXPORT_ROW_CAP);
    const remaining = Math.max(0, Math.ceil(target / EXPORT_TAKE) - job.pages);
    return Math.round((remaining / ratePerMin) * 60_000);
  };

  const view = (job: ExportJob): ExportProgress => ({
    id: job.id,
    status: job.status,
    query: job.query,
    rows: job.rows,
    pages: job.pages,
    total: job.total,
    startedAt: new Date(job.startedAt).toISOString(),
    finishedAt: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
    etaMs: etaMs(job),
    capped: job.capped,
    message: job.message,
    fileReady: job.status === "done" && job.file !== null,
  });

  // One page, retried on passing trouble with backoff until the attempts or the job's deadline run out.
  const fetchPage = async (job: ExportJob, skip: number, deadline: number): Promise<{ customers: Customer[]; total: number | null }> => {
    const { signal } = job.controller;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.listCustomers({ ...job.query, take: EXPORT_TAKE, skip }, { signal });
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

  const run = async (job: ExportJob): Promise<void> => {
    const deadline = job.startedAt + deadlineMs;
    const part = join(dir, `${job.id}.csv.part`);
    const ids: string[] = [];
    let handle: FileHandle | undefined;
    try {
      await mkdir(dir, { recursive: true });
      handle = await open(part, "w", 0o600);
      await handle.write((job.bom ? UTF8_BOM : "") + toCsvRow(EXPORT_HEADER));
      for (let skip = 0; skip <= SKIP_MAX; skip += EXPORT_TAKE) {
        if (now() > deadline) throw new DevdraftError("timeout", { detail: "export deadline" });
        const page = await fetchPage(job, skip, deadline);
        if (job.pages === 0 && page.total !== null) {
          job.total = page.total;
          if (page.total > EXPORT_ROW_CAP) {
            job.capped = true;
            job.message = capMessageBefore(page.total);
          }
        }
        const rows = job.unmasked ? page.customers : page.customers.map(maskRow);
        await handle.write(rows.map((c) => toCsvRow(customerCells(c))).join(""));
        for (const c of rows) ids.push(c.id);
        job.pages += 1;
        job.rows += rows.length;
        options.onPage?.(job);
        if (rows.length < EXPORT_TAKE) break;
        if (job.pages === MAX_PAGES && (job.total === null || job.total > EXPORT_ROW_CAP)) {
          job.capped = true;
          if (job.total === null) job.message = CAP_MESSAGE_AFTER;
        }
      }
      await handle.close();
      // On record before the file exists under its final name: no audit, no file.
      try {
        await recordExportAudit(record, {
          actor: job.owner,
          ids,
          query: { ...job.query },
          requestId: job.requestId,
          purpose: job.purpose ?? null,
          detail: { rows: job.rows, pages: job.pages, truncatedAtCap: job.capped, format: job.format, ...(job.grantId ? { grantId: job.grantId } : {}) },
        });
      } catch (error) {
        throw new AuditFailed(error);
      }
      if (job.controller.signal.aborted) throw job.controller.signal.reason;
      const file = join(dir, `${job.id}.csv`);
      await rename(part, file);
      job.file = file;
      job.status = "done";
      job.finishedAt = now();
      const capNote = job.total !== null ? capMessageDone(job.total) : CAP_MESSAGE_AFTER;
      job.message = doneMessage(job.rows, job.pages, job.capped ? capNote : null);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(part, { force: true });
      job.finishedAt = now();
      if (job.controller.signal.aborted) {
        job.status = "cancelled";
        job.message = cancelledMessage(job.rows, job.pages);
        return;
      }
      job.status = "failed";
      job.message =
        error instanceof AuditFailed
          ? auditFailedMessage(job.rows)
          : failedMessage(job.rows, job.pages, error instanceof DevdraftError ? error.publicMessage : "an unexpected error on the portal's side");
      log.warn({ exportId: job.id, requestId: job.requestId, rows: job.rows, pages: job.pages, err: error }, "customers export failed");
    }
  };

  const sweep = async () => {
    const cutoff = now() - fileTtlMs;
    for (const job of jobs.values()) {
      if (job.finishedAt !== null && job.finishedAt < cutoff) {
        jobs.delete(job.id);
        if (job.file) await rm(job.file, { force: true });
        job.file = null;
      }
    }
  };

  const mine = (id: string, ownerId: string): ExportJob | undefined => {
    const job = jobs.get(id);
    return job && job.owner.id === ownerId ? job : undefined;
  };

  return {
    start(start: StartOptions): ExportProgress {
      void sweep();
      const busy = [...jobs.values()].some((job) => job.owner.id === start.owner.id && job.status === "running");
      if (busy) throw new ExportBusyError("You already have an export running; cancel it or wait for it to finish.");
      const job: ExportJob = {
        id: randomUUID(),
        ...start,
        format: "csv",
        status: "running",
        rows: 0,
        pages: 0,
        total: null,
        startedAt: now(),
        finishedAt: null,
        capped: false,
        message: null,
        file: null,
        controller: new AbortController(),
        settled: Promise.resolve(),
      };
      jobs.set(job.id, job);
      job.settled = run(job);
      return view(job);
    },
    get(id: string, ownerId: string): ExportProgress | undefined {
      const job = mine(id, ownerId);
      return job && view(job);
    },
    list(ownerId: string): ExportProgress[] {
      return [...jobs.values()].filter((job) => job.owner.id === ownerId).map(view);
    },
    cancel(id: string, ownerId: string): ExportProgress | undefined {
      const job = mine(id, ownerId);
      if (job?.status === "running") job.controller.abort(new DOMException("Export cancelled", "AbortError"));
      return job && view(job);
    },
    /** The finished file's path, for its owner only; `release()` deletes it once it has been sent. */
    file(id: string, ownerId: string): { path: string; startedAt: number; purpose: string | null; release: () => Promise<void> } | undefined {
      const job = mine(id, ownerId);
      const path = job?.status === "done" ? job.file : null;
      if (!job || !path) return undefined;
      return {
        path,
        startedAt: job.startedAt,
        purpose: job.purpose ?? null,
        release: async () => {
          job.file = null;
          job.message = `${job.message ?? ""} The file was downloaded and deleted from the server.`.trim();
          await rm(path, { force: true });
        },
      };
    },
    /** Resolves when the job has finished, whichever way. */
    async settled(id: string): Promise<void> {
      await jobs.get(id)?.settled;
    },
    sweep,
  };
}

export type ExportEngine = ReturnType<typeof createExportEngine>;

class AuditFailed extends Error {
  constructor(cause: unknown) {
    super("audit write failed", { cause });
  }
}
