import "server-only";
import { processScope } from "@/lib/process-scope";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { log } from "../log";
import { type CheckpointFile, checkpointSourceFromEnv } from "./checkpoints";
import { createAuditRecorder } from "./recorder";
import { verificationEvent } from "./verification-event";
import { type ChainVerification, verifyChainSnapshot } from "./verify";

const held = processScope("audit/integrity", (): { auditIntegrity?: WeakMap<object, IntegrityStatus> } => ({}));

export interface IntegrityStatus {
  verifiedAt: string;
  ok: boolean;
  checked: number;
  headSeq: number | null;
  firstBad: { seq: number; id: string | null; reason: string; checkpoint?: string } | null;
  durationMs: number;
  /** Checked against signed checkpoints: how many files, and the newest one matched (or the one proving the fault). */
  checkpoints: { files: number; file: string | null; size: number | null } | null;
}

// The last result this process saw per store, in case a newer one has not reached the shared row.
const seen = (held.auditIntegrity ??= new WeakMap<object, IntegrityStatus>());

function toStatus(result: ChainVerification, verifiedAt: Date, durationMs: number): IntegrityStatus {
  return {
    verifiedAt: verifiedAt.toISOString(),
    ok: result.ok,
    checked: result.checked,
    headSeq: result.head?.seq ?? null,
    firstBad: result.firstBad ?? null,
    durationMs: Math.round(durationMs),
    checkpoints: result.checkpoints
      ? {
          files: result.checkpoints.files,
          file: result.firstBad?.checkpoint ?? result.checkpoints.latest?.file ?? null,
          size: result.firstBad?.checkpoint ? null : (result.checkpoints.latest?.size ?? null),
        }
      : null,
  };
}

/**
 * Verifies the whole chain on `readDb` (its own connection, so a long walk never holds the recorder's) and
 * keeps the result in memory and in audit_verification on `db`, where every instance's integrity panel reads it.
 * The run itself is then recorded as `audit.verify` (via the schedule); a failure to record it is logged and
 * leaves the verdict as it is.
 */
export async function runVerification(db: Kysely<Database>, readDb: Kysely<Database> = db, checkpoints?: () => CheckpointFile[]): Promise<IntegrityStatus> {
  const started = performance.now();
  const verifiedAt = new Date();
  const status = toStatus(await verifyChainSnapshot(readDb, { checkpoints }), verifiedAt, performance.now() - started);
  seen.set(db, status);
  const row = {
    verified_at: status.verifiedAt,
    ok: status.ok ? 1 : 0,
    checked: status.checked,
    head_seq: status.headSeq,
    first_bad_seq: status.firstBad?.seq ?? null,
    first_bad_id: status.firstBad?.id ?? null,
    reason: status.firstBad?.reason ?? null,
    duration_ms: status.durationMs,
    checkpoints: status.checkpoints?.files ?? null,
    checkpoint_file: status.checkpoints?.file ?? null,
    checkpoint_size: status.checkpoints?.size ?? null,
  };
  await db
    .insertInto("audit_verification")
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column("id").doUpdateSet(row))
    .execute();
  await recordRun(db, status).catch((err: unknown) => log.error({ err }, "could not record the verification run"));
  return status;
}

// A recorder of its own: two recorders on one store append safely (the chain head is locked per transaction).
async function recordRun(db: Kysely<Database>, status: IntegrityStatus): Promise<void> {
  const recorder = createAuditRecorder(db);
  try {
    await recorder.record(verificationEvent(status, "schedule"));
  } finally {
    await recorder.close();
  }
}

/** The latest verification by any instance; null when none has run yet. */
export async function lastVerification(db: Kysely<Database>): Promise<IntegrityStatus | null> {
  const row = await db.selectFrom("audit_verification").selectAll().where("id", "=", 1).executeTakeFirst();
  const memory = seen.get(db) ?? null;
  if (!row) return memory;
  const stored: IntegrityStatus = {
    verifiedAt: row.verified_at,
    ok: row.ok === 1,
    checked: row.checked,
    headSeq: row.head_seq,
    firstBad: row.first_bad_seq === null ? null : { seq: row.first_bad_seq, id: row.first_bad_id, reason: row.reason ?? "" },
    durationMs: row.duration_ms,
    checkpoints: row.checkpoints === null ? null : { files: row.checkpoints, file: row.checkpoint_file, size: row.checkpoint_size },
  };
  return memory && memory.verifiedAt > stored.verifiedAt ? memory : stored;
}

/** The newest signed checkpoint in AUDIT_CHECKPOINT_DIR, as the integrity panel shows it. */
export interface CheckpointStatus {
  file: string;
  size: number | null;
  /** Base64, as in the checkpoint. */
  root: string | null;
  signedAt: string | null;
  signatureValid: boolean;
  /** Why it is not valid. */
  problem: string | null;
  /** Witness cosignatures (AUDIT_WITNESSES); null when none are configured and none were found. */
  witnesses: WitnessStatus | null;
}

interface WitnessStatus {
  /** Configured witnesses whose cosignature of this checkpoint verifies. */
  cosigned: string[];
  /** Configured witnesses that did not cosign it. */
  missing: string[];
  /** Cosignatures that do not verify (naming the witness and file). */
  bad: string[];
  /** Cosigning keys not configured (`<name>+<hex id>`). */
  unknown: string[];
  quorum: number;
}

/** Null when no checkpoint (or no key) exists yet; never throws (a bad setting is shown as the problem). */
export function latestCheckpointStatus(env: Readonly<Record<string, string | undefined>> = process.env): CheckpointStatus | null {
  try {
    const source = checkpointSourceFromEnv(env);
    const latest = source?.latest();
    if (!source || !latest) return null;
    const configured = source.settings.witnesses.map((w) => w.verifier.name);
    const cos = latest.cosignatures;
    const witnesses: WitnessStatus | null =
      configured.length === 0 && !cos
        ? null
        : {
            cosigned: cos?.cosigned ?? [],
            missing: configured.filter((n) => !cos?.cosigned.includes(n)),
            bad: cos?.bad ?? [],
            unknown: cos?.unknown ?? [],
            quorum: source.settings.witnessQuorum,
          };
    return {
      file: latest.file,
      size: latest.checkpoint?.size ?? null,
      root: latest.checkpoint?.root.toString("base64") ?? null,
      signedAt: latest.at,
      signatureValid: latest.ok,
      problem: latest.reason,
      witnesses,
    };
  } catch (err) {
    return {
      file: "",
      size: null,
      root: null,
      signedAt: null,
      signatureValid: false,
      problem: err instanceof Error ? err.message : String(err),
      witnesses: null,
    };
  }
}
