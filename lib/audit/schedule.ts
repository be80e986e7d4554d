import "server-only";
import type { Kysely } from "kysely";
import { createDb } from "../db/connect";
import type { StoreConfig } from "../db/config";
import type { Database } from "../db/schema";
import { log } from "../log";
import { checkpointSourceFromEnv } from "./checkpoints";
import { runVerification } from "./integrity";
import { applyRetention } from "./retention";
import { readAuditSettings } from "./settings";

const DAY_MS = 86_400_000;
const FIRST_VERIFY_MS = 15_000;
const FIRST_RETENTION_MS = 60_000;

export interface AuditSchedule {
  stop(): Promise<void>;
}

/**
 * Starts chain verification every AUDIT_VERIFY_INTERVAL_MS and retention daily, on `db` (once per process: the
 * services start it, lib/services.ts). Jobs run one at a time, so a verification never walks a chain that
 * retention is cutting; timers are unref'd and never keep the process alive. Every instance may run it:
 * retention is serialised on the chain head and does nothing when no whole day (SQLite) or month (PostgreSQL's
 * partitions) has expired.
 */
export function startAuditSchedule({ db: store, storeConfig }: { db: () => Promise<Kysely<Database>>; storeConfig: StoreConfig }): AuditSchedule {
  const settings = readAuditSettings();
  let queue: Promise<void> = Promise.resolve();
  let readDb: Kysely<Database> | null = null;
  const timers: NodeJS.Timeout[] = [];

  const enqueue = (name: string, job: () => Promise<void>) => {
    queue = queue.then(job).catch((err: unknown) => log.error({ err }, `audit ${name} failed`));
  };
  const verify = () =>
    enqueue("verification", async () => {
      const db = await store();
      // SQLite: a separate connection, so the snapshot does not hold the recorder's single connection.
      readDb ??= storeConfig.kind === "sqlite" ? createDb(storeConfig) : db;
      // Against the signed checkpoints too, once a signing key exists (the checkpoint writer makes it at start-up).
      const source = checkpointSourceFromEnv();
      const status = await runVerification(db, readDb, source ? () => source.read() : undefined);
      if (status.ok) log.info({ checked: status.checked, ms: status.durationMs }, "audit chain verified");
      else log.error({ firstBad: status.firstBad, checked: status.checked }, "audit chain is broken");
    });
  const retain = () =>
    enqueue("retention", async () => {
      const result = await applyRetention(await store(), { retentionDays: settings.AUDIT_RETENTION_DAYS });
      if (result)
        log.info(
          { removed: result.removed, removedThrough: result.removedThrough, anchor: result.anchor, droppedPartitions: result.droppedPartitions },
          "audit retention applied",
        );
    });

  timers.push(setTimeout(verify, FIRST_VERIFY_MS), setInterval(verify, settings.AUDIT_VERIFY_INTERVAL_MS));
  timers.push(setTimeout(retain, FIRST_RETENTION_MS), setInterval(retain, DAY_MS));
  for (const t of timers) t.unref();

  const schedule: AuditSchedule = {
    async stop() {
      for (const t of timers) clearTimeout(t);
      await queue;
      if (readDb && readDb !== (await store().catch(() => null))) await readDb.destroy();
    },
  };
  return schedule;
}
