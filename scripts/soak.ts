// `npm run soak`: the reliability soak of issue 7 (scripts/soak/run.ts), ten minutes by default.
//   npm run soak -- [--minutes 10] [--rate 10] [--schedule full|short] [--portal-port 3600] [--sandbox-port 4600]
//                   [--store sqlite|postgres] [--pg-port 4690]  (postgres: scripts/postgres.mjs with PGPORT_TEST)
// Exit 0 when every check held, 1 with the list of what failed, 2 when the soak itself could not run.
import { parseArgs } from "node:util";
import { DEFAULTS, runSoak } from "./soak/run";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: String(DEFAULTS.minutes) },
    rate: { type: "string", default: String(DEFAULTS.rate) },
    schedule: { type: "string", default: DEFAULTS.schedule },
    "portal-port": { type: "string", default: process.env.SOAK_PORTAL_PORT ?? String(DEFAULTS.portalPort) },
    "sandbox-port": { type: "string", default: process.env.SOAK_SANDBOX_PORT ?? String(DEFAULTS.sandboxPort) },
    seed: { type: "string", default: String(DEFAULTS.seed) },
    store: { type: "string", default: DEFAULTS.store },
    "pg-port": { type: "string", default: process.env.PGPORT_TEST ?? String(DEFAULTS.pgPort) },
  },
});

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`soak: --${name} must be a positive number\n`);
    process.exit(2);
  }
  return n;
}

const store = values.store;
if (store !== "sqlite" && store !== "postgres") {
  process.stderr.write("soak: --store must be sqlite or postgres\n");
  process.exit(2);
}
const schedule = values.schedule;
if (schedule !== "full" && schedule !== "short") {
  process.stderr.write("soak: --schedule must be full or short\n");
  process.exit(2);
}

try {
  const report = await runSoak({
    minutes: positive("minutes", values.minutes),
    rate: positive("rate", values.rate),
    schedule,
    portalPort: positive("portal-port", values["portal-port"]),
    sandboxPort: positive("sandbox-port", values["sandbox-port"]),
    seed: positive("seed", values.seed),
    handleSignals: true,
    store,
    pgPort: positive("pg-port", values["pg-port"]),
  });
  process.stdout.write(`\n${report.summary}\n`);
  process.exit(report.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`soak: could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
}
