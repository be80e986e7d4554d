// Verifies the whole audit chain of the store PORTAL_DATA_DIR or DATABASE_URL names, and the store against the
// signed checkpoints in AUDIT_CHECKPOINT_DIR (and those against each other); safe while the portal runs (it reads
// the checkpoints, then the store on one snapshot, then appends its own `audit.verify` event). Prints one line (two
// with checkpoints); exits 1 naming the first bad event and the checkpoint that proves it, 2 when it cannot run. A
// store whose chain is whole but shorter than the newest signed checkpoint (a restore from an older backup) is named
// as such: "events 1042–1187 are missing: the latest signed checkpoint covers 1187 events, the store has 1041".
// Cosignatures in `<checkpoint>.cosigned` files are checked with the AUDIT_WITNESSES keys (and any --witness-vkey):
// one that does not verify fails the run; a key not configured is reported. --cosignatures prints a line per checkpoint.
// Run: node --conditions=react-server --import tsx scripts/audit-verify.ts [--batch-size N] [--key VERIFIER-KEY|FILE] [--checkpoints DIR]
//      [--witness-vkey VKEY ...] [--cosignatures]
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CheckpointFile, checkpointSourceFromEnv, readCheckpoints, readCheckpointSettings } from "../lib/audit/checkpoints";
import { createAuditRecorder } from "../lib/audit/recorder";
import { parseWitnessVerifierKey, type WitnessVerifier } from "../lib/audit/cosignature";
import { type NoteVerifier, parseVerifierKey } from "../lib/audit/signed-note";
import { verificationEvent } from "../lib/audit/verification-event";
import { type ChainVerification, missingSpanText, verifyChainSnapshot } from "../lib/audit/verify";
import { createDb, storeConfigFromEnv } from "../lib/db";

const { values } = parseArgs({
  options: {
    "batch-size": { type: "string", default: "5000" },
    key: { type: "string" },
    checkpoints: { type: "string" },
    "witness-vkey": { type: "string", multiple: true },
    cosignatures: { type: "boolean", default: false },
  },
});
const batchSize = Number(values["batch-size"]);
const config = storeConfigFromEnv();
const where = config.kind === "sqlite" ? `sqlite ${config.file}` : `postgres ${new URL(config.url).host}${new URL(config.url).pathname}`;

if (!Number.isInteger(batchSize) || batchSize < 1) {
  process.stderr.write("audit-verify: --batch-size must be a positive whole number\n");
  process.exit(2);
}
if (config.kind === "sqlite" && !existsSync(config.file)) {
  process.stderr.write(`audit-verify: no store at ${config.file} (set PORTAL_DATA_DIR or DATABASE_URL)\n`);
  process.exit(2);
}

// The checkpoints: checked with the public key given (an auditor's own copy), else the one derived from the
// portal's signing key. None when no key exists yet.
let loadCheckpoints: (() => CheckpointFile[]) | undefined;
let checkpointDir: string | null = null;
let witnesses: WitnessVerifier[] = [];
let quorum = 0;
try {
  const settings = readCheckpointSettings();
  witnesses = [...settings.witnesses.map((w) => w.verifier), ...(values["witness-vkey"] ?? []).map((v) => parseWitnessVerifierKey(v))];
  quorum = settings.witnessQuorum;
  checkpointDir = values.checkpoints ?? settings.dir;
  let verifier: NoteVerifier | null = null;
  if (values.key) {
    const text = existsSync(values.key) ? readFileSync(values.key, "utf8") : values.key;
    verifier = parseVerifierKey(text, settings.origin);
  } else {
    verifier = checkpointSourceFromEnv()?.verifier ?? null;
  }
  if (verifier) {
    const [dir, v, origin] = [checkpointDir, verifier, settings.origin];
    loadCheckpoints = () => readCheckpoints(dir, v, origin, witnesses);
  }
} catch (err) {
  process.stderr.write(`audit-verify: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

const db = createDb(config);
const started = performance.now();
try {
  const result = await verifyChainSnapshot(db, { batchSize, checkpoints: loadCheckpoints });
  const durationMs = performance.now() - started;
  const seconds = (durationMs / 1000).toFixed(1);
  const from = result.anchor ? `after retention anchor seq ${result.anchor.seq}` : "from genesis";
  if (result.ok) {
    process.stdout.write(`audit chain OK: ${result.checked} events verified ${from} through seq ${result.head?.seq ?? 0} in ${seconds} s (${where})\n`);
    const cp = result.checkpoints;
    if (!cp) process.stdout.write(`signed checkpoints: none checked (no signing key or --key; checkpoint directory ${checkpointDir})\n`);
    else if (cp.files === 0) process.stdout.write(`signed checkpoints: none yet in ${checkpointDir}\n`);
    else {
      const latest = cp.latest
        ? `; newest matched ${cp.latest.file} (tree size ${cp.latest.size}, root ${result.tree?.size === cp.latest.size ? result.tree.root : "earlier"})`
        : "";
      const purged = cp.beforeAnchor > 0 ? `; ${cp.beforeAnchor} sizes before the retention anchor are no longer comparable` : "";
      process.stdout.write(`signed checkpoints OK: ${cp.files} files, ${cp.compared} tree sizes match the store${latest}${purged}\n`);
      printCosignatures(cp);
    }
  } else if (result.missing) {
    // Whole up to its head, but shorter than the signed checkpoints say: after a restore, the events since the backup.
    const m = result.missing;
    const through = m.matchedThrough === result.head?.seq ? "all of them" : `through tree size ${m.matchedThrough}`;
    process.stdout.write(
      `audit chain intact through seq ${result.head?.seq ?? 0}: ${result.checked} events verified ${from}, matching the signed checkpoints ${through} (${where})\n`,
    );
    process.stdout.write(`${missingSpanText(m, result.head?.seq ?? 0)}\n`);
    process.stdout.write(`proof: signed checkpoint ${checkpointDir}/${m.checkpoint}\n`);
    process.exitCode = 1;
  } else {
    const bad = result.firstBad;
    process.stdout.write(
      `audit chain BROKEN at seq ${bad?.seq ?? "?"}${bad?.id ? ` (event ${bad.id})` : ""}: ${bad?.reason ?? "unknown"}; ${result.checked} events verified before it (${where})\n`,
    );
    if (bad?.checkpoint) process.stdout.write(`proof: signed checkpoint ${checkpointDir}/${bad.checkpoint}\n`);
    process.exitCode = 1;
  }
  await recordRun(result, durationMs);
} catch (err) {
  process.stderr.write(`audit-verify: ${err instanceof Error ? err.message : String(err)} (${where})\n`);
  process.exitCode = 2;
} finally {
  await db.destroy();
}

/** How many witnesses cosigned each checkpoint: a summary line (and one line per checkpoint with --cosignatures). */
function printCosignatures(cp: NonNullable<ChainVerification["checkpoints"]>): void {
  const unknown = cp.unknownCosigners.length > 0 ? `; cosignatures by keys not configured (not checked): ${cp.unknownCosigners.join(", ")}` : "";
  if (witnesses.length === 0 && cp.cosigned.every((c) => c.witnesses.length === 0)) {
    if (unknown) process.stdout.write(`witnesses: none configured${unknown}\n`);
    return;
  }
  const counts = new Map<number, number>();
  for (const c of cp.cosigned) counts.set(c.witnesses.length, (counts.get(c.witnesses.length) ?? 0) + 1);
  const spread = [...counts.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([n, files]) => `${files} by ${n}`)
    .join(", ");
  const last = cp.cosigned.at(-1);
  const latest = last ? `; newest ${last.file} cosigned by ${last.witnesses.length ? last.witnesses.join(", ") : "none"}` : "";
  const below = quorum > 0 ? `; ${cp.cosigned.filter((c) => c.witnesses.length < quorum).length} below the quorum of ${quorum}` : "";
  process.stdout.write(`witness cosignatures OK: ${witnesses.length} witnesses configured; checkpoints cosigned ${spread}${latest}${below}${unknown}\n`);
  if (values.cosignatures) for (const c of cp.cosigned) process.stdout.write(`  ${c.file}: ${c.witnesses.length} (${c.witnesses.join(", ") || "none"})\n`);
}

// After the walk, so this run's event is checked by the next one; a failure to record it changes neither the
// line printed nor the exit code, which stay the verdict's.
async function recordRun(result: ChainVerification, durationMs: number): Promise<void> {
  const recorder = createAuditRecorder(db);
  try {
    const verdict = { ok: result.ok, checked: result.checked, headSeq: result.head?.seq ?? null, firstBad: result.firstBad ?? null, durationMs };
    await recorder.record(verificationEvent(verdict, "cli"));
  } catch (err) {
    process.stderr.write(`audit-verify: the run could not be recorded in the audit log: ${err instanceof Error ? err.message : String(err)}\n`);
  } finally {
    await recorder.close();
  }
}
