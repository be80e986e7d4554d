import "server-only";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { createAuditRecorder, type AuditRecorder, type RecorderServices } from "@/lib/audit";
import { startAlertDetector, type AlertDetector, type AlertDetectorOptions } from "@/lib/audit/alert-detector";
import { startCheckpointWriter, type CheckpointWriter, type CheckpointWriterOptions } from "@/lib/audit/checkpoint-writer";
import { startAuditSchedule, type AuditSchedule } from "@/lib/audit/schedule";
import { CONFIG_SECTIONS, type PortalConfig } from "@/lib/config";
import { createDb, type Database } from "@/lib/db";
import { openMigrated, type StoreServices } from "@/lib/db/get-db";
import {
  createDevdraftClient,
  createExportClient,
  createRateBudget,
  exportRatePerMin,
  type DevdraftClient,
  type RateBudget,
  type UpstreamServices,
} from "@/lib/devdraft";
import { createStoreBudget } from "@/lib/devdraft/store-budget";
import { portalExportKey } from "@/lib/export/crypto";
import { createExportEngine, removeExportFiles, type ExportEngine } from "@/lib/export/engine";
import type { ExportServices } from "@/lib/export/service";
import { log } from "@/lib/log";
import { metrics } from "@/lib/observe/metrics";
import { startSiemShipper, type Shipper, type ShipperOptions } from "@/lib/siem/shipper";
import { adoptServices, builtServices, installServices, services as built } from "@/lib/service-slot";

/**
 * The composition root: the portal's long-lived services, built in one function from the checked configuration,
 * each given what it depends on. One container per process, held in one slot (lib/service-slot.ts), built on the
 * first read (never at import: `next build` imports the routes), closed as a whole by closeServices() (the next read
 * builds afresh, so tests and a restore may reopen). lib/startup.ts builds it from the configuration it has checked,
 * starts the export upkeep, and its shutdown hooks stop the parts in order.
 */
export type Services = StoreServices &
  UpstreamServices &
  RecorderServices &
  ExportServices & {
    /** At start-up: removes files an earlier version left, expires and resumes jobs, then keeps doing so on timers. */
    startExportUpkeep: () => Promise<void>;
    /** Shutdown: export runners stop and give their leases back, so another instance resumes their jobs at once. */
    stopExports: () => Promise<void>;
    /** Shutdown: the recorder's queued writes commit, later records are refused. */
    closeRecorder: () => Promise<void>;
    /** Start-up: the background jobs, each on this store and started once (a second call returns the running one). */
    startAuditSchedule: () => AuditSchedule;
    startCheckpoints: (opts: Omit<CheckpointWriterOptions, "db">) => CheckpointWriter;
    startAlerts: (opts: Omit<AlertDetectorOptions, "db">) => AlertDetector;
    startSiem: (opts: Omit<ShipperOptions, "db">) => Shipper;
    /**
     * Shutdown: stops one background job if it runs (a verification or an alert pass in progress finishes; the SIEM
     * stream makes a last attempt within 3 s; the checkpoint writer signs a last checkpoint).
     */
    stopJob: (job: keyof Jobs) => Promise<void>;
    /** Everything built or started, in the shutdown's order, the stores last. */
    close: () => Promise<void>;
  };

type Jobs = { auditSchedule?: AuditSchedule; alerts?: AlertDetector; siem?: Shipper; checkpoints?: CheckpointWriter };

/** The SIEM stream's last attempt on shutdown. */
const SIEM_LAST_ATTEMPT_MS = 3_000;

/** The sections the services are built from. */
const SERVICE_SECTIONS = ["store", "readReplica", "devdraft", "exportBudgetShare", "portal"] as const;
export type ServicesConfig = Pick<PortalConfig, (typeof SERVICE_SECTIONS)[number]>;

// Longest a request may queue for the shared budget; the call's own deadline usually ends it sooner.
const BUDGET_MAX_WAIT_MS = 5_000;

/**
 * Builds the services from `config`; each part is made on its first use, and only what was made is closed. `given`:
 * parts made elsewhere to build on instead (a test's store, left open on close; a test's budget).
 */
export function buildServices(config: ServicesConfig, given: { store?: Kysely<Database>; budget?: RateBudget } = {}): Services {
  const { store } = given;
  const made: {
    db?: Promise<Kysely<Database>>;
    readDb?: Kysely<Database>;
    budget?: RateBudget;
    devdraft?: DevdraftClient;
    recorder?: Promise<AuditRecorder>;
    exports?: ExportEngine;
    upkeep?: boolean;
    timers: NodeJS.Timeout[];
  } = { budget: given.budget, timers: [] };
  const jobs: Jobs = {};

  // Concurrent first callers share one open; a failed open is forgotten so the next call retries.
  const db = (): Promise<Kysely<Database>> => {
    if (store) return Promise.resolve(store);
    if (made.db) return made.db;
    const opening = openMigrated(config.store);
    made.db = opening;
    opening.catch(() => {
      if (made.db === opening) made.db = undefined;
    });
    return opening;
  };
  const budget = (): RateBudget => {
    if (made.budget) return made.budget;
    const options = { perMinute: config.devdraft.ratePerMin, maxWaitMs: BUDGET_MAX_WAIT_MS };
    // Several instances share PostgreSQL, so the budget must live there; one SQLite process keeps it in memory.
    return (made.budget = config.store.kind === "postgres" ? createStoreBudget({ ...options, db }) : createRateBudget(options));
  };
  const recorder = (): Promise<AuditRecorder> =>
    (made.recorder ??= db().then((store) =>
      createAuditRecorder(store, {
        onBatch: ({ size, ok, durationMs }) => {
          const m = metrics();
          m.auditWrite.observe({ outcome: ok ? "ok" : "error" }, durationMs / 1000);
          m.auditBatchSize.observe(size);
        },
      }),
    )).catch((error: unknown) => {
      made.recorder = undefined;
      throw error;
    });
  const record: Parameters<typeof createExportEngine>[0]["record"] = async (input) => (await recorder()).record(input);
  const exports = (): ExportEngine => {
    const share = config.exportBudgetShare;
    const { EXPORT_ENCRYPTION_KEY, NEXTAUTH_SECRET, EXPORT_TTL } = config.portal;
    return (made.exports ??= createExportEngine({
      db,
      client: createExportClient({ config: config.devdraft, shared: budget(), share }),
      record,
      key: portalExportKey(EXPORT_ENCRYPTION_KEY ?? NEXTAUTH_SECRET),
      ratePerMin: exportRatePerMin(config.devdraft.ratePerMin, share),
      fileTtlMs: EXPORT_TTL * 1_000,
    }));
  };

  const services: Services = {
    db,
    readDb: () => (config.readReplica ? Promise.resolve((made.readDb ??= createDb(config.readReplica))) : db()),
    hasReadReplica: () => config.readReplica !== null,
    budget,
    existingBudget: () => made.budget,
    devdraft: () => (made.devdraft ??= createDevdraftClient({ config: config.devdraft, budget: budget() })),
    recorder,
    exports,
    async startExportUpkeep() {
      if (made.upkeep) return;
      made.upkeep = true;
      const engine = exports();
      // Where earlier versions wrote export files; nothing is written there now (pages are in the store, encrypted).
      const legacyDir = join(config.portal.PORTAL_DATA_DIR?.trim() || ".data", "exports");
      const removed = await removeExportFiles(legacyDir);
      if (removed.length > 0) log.warn({ dir: legacyDir, files: removed.length }, "removed export files left on disk by an earlier run");
      const expired = await engine.sweep();
      const resumed = await engine.resumeOrphans();
      if (expired.length > 0 || resumed.length > 0) log.info({ expired: expired.length, resumed: resumed.length }, "export jobs at start-up");
      const onError = (err: unknown) => log.error({ err }, "export job upkeep failed");
      made.timers.push(
        setInterval(() => void engine.resumeOrphans().catch(onError), 5_000),
        setInterval(() => void engine.sweep().catch(onError), 60_000),
      );
      for (const t of made.timers) t.unref();
    },
    async stopExports() {
      for (const t of made.timers) clearInterval(t);
      await made.exports?.shutdown();
    },
    async closeRecorder() {
      const open = await made.recorder?.catch(() => null);
      await open?.close();
    },
    startAuditSchedule: () => (jobs.auditSchedule ??= startAuditSchedule({ db, storeConfig: config.store })),
    startCheckpoints: (opts) => (jobs.checkpoints ??= startCheckpointWriter({ ...opts, db })),
    startAlerts: (opts) => (jobs.alerts ??= startAlertDetector({ ...opts, db })),
    startSiem: (opts) => (jobs.siem ??= startSiemShipper({ ...opts, db })),
    async stopJob(job) {
      const running = jobs[job];
      jobs[job] = undefined;
      await (running && "flush" in running ? running.stop(SIEM_LAST_ATTEMPT_MS) : running?.stop());
    },
    async close() {
      // In the order of the shutdown hooks (lib/startup.ts): the jobs that record, the exports, the recorder; then the
      // SIEM stream (it ships what the recorder flushed last) and the last checkpoint (it covers every event).
      for (const job of ["auditSchedule", "alerts"] as const) await services.stopJob(job).catch(() => {});
      await services.stopExports().catch(() => {});
      await services.closeRecorder();
      for (const job of ["siem", "checkpoints"] as const) await services.stopJob(job).catch(() => {});
      const [primary, replica] = [made.db, made.readDb];
      made.db = made.readDb = undefined;
      await replica?.destroy().catch(() => {});
      await (await primary?.catch(() => null))?.destroy();
    },
  };
  return services;
}

/**
 * The sections from the environment, each read (and checked) on first use: a process without start-up (a script, a
 * test) reads only what the services it uses need. Start-up checks the whole configuration first (lib/startup.ts).
 */
export function servicesConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ServicesConfig {
  const config = {} as ServicesConfig;
  for (const name of SERVICE_SECTIONS) {
    let value: unknown;
    let read = false;
    Object.defineProperty(config, name, {
      get: () => {
        if (!read) [value, read] = [CONFIG_SECTIONS[name](env), true];
        return value;
      },
    });
  }
  return config;
}

installServices(() => buildServices(servicesConfigFromEnv()));

/** The process's services. */
export const services = (): Services => built<Services>();

/** The services if they were built (shutdown hooks: nothing to stop when nothing was built). */
export const existingServices = (): Services | undefined => builtServices<Services>();

/** Start-up: builds the services from the configuration start-up has just checked (unless something already did). */
export function startServices(config: ServicesConfig): Services {
  adoptServices(() => buildServices(config));
  return services();
}

export { adoptServices, closeServices } from "@/lib/service-slot";
