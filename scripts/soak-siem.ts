// `npm run soak:siem`: the SIEM outage soak of issue 13, point 5 (test/support/siem-outage-scenario.ts) for minutes.
//   npm run soak:siem -- [--outage-seconds 180] [--retry-max-ms 30000] [--database-url postgres://…]
//                        [--syslog-port 3231] [--webhook-port 3232] [--instances 1]
// A portal process records staff work (about 10 events a second) and streams it to a real rsyslogd over TLS and an
// HTTPS webhook receiver; rsyslogd is killed and the webhook refuses for the outage; the portal process restarts
// once half-way. Prints the figures; exit 0 when every event arrived with no gap (syslog duplicates only around the
// outage), 1 otherwise, 2 when the soak could not run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createDb } from "../lib/db/connect";
import { migrateToLatest } from "../lib/db/migrations";
import { runOutageScenario } from "../test/support/siem-outage-scenario";

const { values } = parseArgs({
  options: {
    "outage-seconds": { type: "string", default: "180" },
    "retry-max-ms": { type: "string", default: "30000" },
    "database-url": { type: "string" },
    "syslog-port": { type: "string", default: "3231" },
    "webhook-port": { type: "string", default: "3232" },
    instances: { type: "string", default: "1" },
  },
});

function whole(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`soak:siem: --${name} must be a whole number above 0\n`);
    process.exit(2);
  }
  return n;
}

const outageSeconds = whole("outage-seconds", values["outage-seconds"]);
const retryMaxMs = whole("retry-max-ms", values["retry-max-ms"]);
const dir = mkdtempSync(join(tmpdir(), "soak-siem-"));
const url = values["database-url"];
const db = createDb(url ? { kind: "postgres", url } : { kind: "sqlite", file: join(dir, "portal.sqlite") });
let code = 2;
try {
  await migrateToLatest(db);
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
  log(`store: ${url ? "postgres" : "sqlite"}; outage ${outageSeconds} s; backoff cap ${retryMaxMs} ms`);
  const f = await runOutageScenario({
    db,
    storeEnv: url ? { DATABASE_URL: url } : { PORTAL_DATA_DIR: dir },
    outageMs: outageSeconds * 1000,
    retryMaxMs,
    syslogPort: whole("syslog-port", values["syslog-port"]),
    webhookPort: whole("webhook-port", values["webhook-port"]),
    instances: whole("instances", values.instances),
    log,
  });
  const outOfRange = f.syslog.duplicates.filter((s) => s <= f.syslog.cursorAtKill || s > f.syslog.headAtReturn);
  const lines = [
    `events recorded: ${f.events} (head seq ${f.headSeq})`,
    `outage: ${(f.outageMs / 1000).toFixed(1)} s; portal restart: ${f.restartMs} ms; catch-up after the receivers returned: ${(f.catchUpMs / 1000).toFixed(1)} s`,
    `during the outage: max backlog ${f.maxBacklog} events, max lag ${f.maxLagSeconds} s, last error "${f.lastErrorSeen ?? ""}"`,
    `syslog (rsyslogd, no dedup): ${f.syslog.received} messages, ${f.syslog.distinct} distinct ids, missing ${f.syslog.missing.length}, gaps ${f.syslog.gaps.length}, duplicates ${f.syslog.duplicates.length} (seqs ${f.syslog.duplicates.slice(0, 20).join(",") || "-"}; sent around the outage: after ${f.syslog.cursorAtKill}, up to ${f.syslog.headAtReturn}; outside that: ${outOfRange.length})`,
    `webhook (dedup by id): ${f.webhook.deliveries} deliveries, ${f.webhook.distinct} distinct, missing ${f.webhook.missing.length}, duplicate deliveries ${f.webhook.duplicateDeliveries}, bad signatures ${f.webhook.badSignatures}`,
  ];
  for (const l of lines) process.stdout.write(`${l}\n`);
  const ok =
    f.syslog.missing.length === 0 &&
    f.syslog.gaps.length === 0 &&
    outOfRange.length === 0 &&
    f.webhook.missing.length === 0 &&
    f.webhook.distinct === f.events &&
    f.webhook.badSignatures === 0;
  process.stdout.write(ok ? "SIEM soak OK: every event arrived, no gaps\n" : "SIEM soak FAILED\n");
  code = ok ? 0 : 1;
} catch (err) {
  process.stderr.write(`soak:siem could not run: ${err instanceof Error ? err.stack : String(err)}\n`);
} finally {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
