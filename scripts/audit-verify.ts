// Verifies the whole audit chain of the store PORTAL_DATA_DIR or DATABASE_URL names; safe while the portal runs
// (it only reads, on one snapshot). Prints one line; exits 1 naming the first bad event, 2 when it cannot run.
// Run: node --conditions=react-server --import tsx scripts/audit-verify.ts [--batch-size N]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { verifyChainSnapshot } from "../lib/audit/verify";
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
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
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
} catch (err) {
  process.stderr.write(`audit-verify: ${err instanceof Error ? err.message : String(err)} (${where})\n`);
  process.exitCode = 2;
} finally {
  await db.destroy();
}
