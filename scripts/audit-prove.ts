// Prints an inclusion proof (JSON) for one audit event in the smallest signed checkpoint that covers it.
// Run: npm run audit:prove -- --event ID [--out FILE]; check it offline with npm run audit:check-proof.
// Exits 1 when no proof can be given (unknown event, no checkpoint covers it yet, store inconsistent), 2 on bad use.
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkpointSourceFromEnv } from "../lib/audit/checkpoints";
import { ProofError, proveEvent } from "../lib/audit/prove";
import { verifierKeyText } from "../lib/audit/signed-note";
import { createDb, storeConfigFromEnv } from "../lib/db";

const { values } = parseArgs({ options: { event: { type: "string" }, out: { type: "string" } } });
if (!values.event) {
  process.stderr.write("audit-prove: --event ID is required\n");
  process.exit(2);
}
const config = storeConfigFromEnv();
if (config.kind === "sqlite" && !existsSync(config.file)) {
  process.stderr.write(`audit-prove: no store at ${config.file} (set PORTAL_DATA_DIR or DATABASE_URL)\n`);
  process.exit(2);
}
const source = checkpointSourceFromEnv();
if (!source) {
  process.stderr.write("audit-prove: no audit signing key, so no signed checkpoints (start the portal once, or set AUDIT_SIGNING_KEY)\n");
  process.exit(2);
}
const db = createDb(config);
try {
  const proof = await proveEvent(db, values.event, source.read());
  const text = `${JSON.stringify({ ...proof, verifier_key: verifierKeyText(source.verifier) }, null, 2)}\n`;
  if (values.out) writeFileSync(values.out, text, { flag: "wx" });
  process.stdout.write(values.out ? `proof written to ${values.out}\n` : text);
} catch (err) {
  process.stderr.write(`audit-prove: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof ProofError ? 1 : 2;
} finally {
  await db.destroy();
}
