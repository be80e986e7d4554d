// Verifies the whole audit chain of the store PORTAL_DATA_DIR or DATABASE_URL names; safe while the portal runs
// (it reads on one snapshot, then appends its own `audit.verify` event). Prints one line; exits 1 naming the first
// bad event, 2 when it cannot run.
// Run: node --conditions=react-server --import tsx scripts/audit-verify.ts [--batch-size N]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { createAuditRecorder } from "../lib/audit/recorder";
import { verificationEvent } from "../lib/audit/verification-event";
import { type ChainVerification, verifyChainSnapshot } from "../lib/audit/verify";
import { createDb, storeConfigFromEnv } from "../lib/db";

const { values } = parseArgs({ options: { "batch-size": { type: "string", default: "5000" } } });
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

const db = createDb(config);
const started = performance.now();
try {
  const result = await verifyChainSnapshot(db, { batchSize });
  const durationMs = performance.now() - started;
  const seconds = (durationMs / 1000).toFixed(1);
  const from = result.anchor ? `after retention anchor seq ${result.anchor.seq}` : "from genesis";
  if (result.ok) {
    process.stdout.write(`audit chain OK: ${result.checked} events verified ${from} through seq ${result.head?.seq ?? 0} in ${seconds} s (${where})\n`);
  } else {
    const bad = result.firstBad;
    process.stdout.write(
      `audit chain BROKEN at seq ${bad?.seq ?? "?"}${bad?.id ? ` (event ${bad.id})` : ""}: ${bad?.reason ?? "unknown"}; ${result.checked} events verified before it (${where})\n`,
    );
    process.exitCode = 1;
  }
  await recordRun(result, durationMs);
} catch (err) {
  process.stderr.write(`audit-verify: ${err instanceof Error ? err.message : String(err)} (${where})\n`);
  process.exitCode = 2;
} finally {
  await db.destroy();
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
