// Customers export rate (rows/s) against an in-process sandbox: at the default budget (100 requests a
// minute, export share 0.5, the sandbox enforcing 100/min) and with the limit off.
//   npx tsx bench/export.ts [--rows 10100] [--runs 3]
// At the default budget a full 10,100-row export takes about two minutes: 101 pages at 50 a minute.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { rerunUnderReactServer } from "./react-server";

rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({ options: { rows: { type: "string", default: "10100" }, runs: { type: "string", default: "3" } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const SHARE = 0.5;

const { createExportClient, createRateBudget } = await import("../lib/devdraft/index");
const { createExportEngine } = await import("../lib/export/engine");
const { addOwner, TEST_EXPORT_KEY } = await import("../test/support/export");
const { openTestStore } = await import("../test/support/stores");
const { createSandbox } = await import("../sandbox/server");
const { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } = await import("../sandbox/defaults");

const statsSchema = z.object({ requests: z.number(), byStatus: z.record(z.string(), z.number()) });

type Result = { rows: number; pages: number; seconds: number; requests: number; status429: number };

async function exportOnce(ratePerMin: number, sandboxLimit: number): Promise<Result> {
  const sandbox = createSandbox({
    customers: ROWS,
    seed: 11,
    rateLimit: sandboxLimit,
    clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
    clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
  });
  const { url } = await sandbox.listen(0, "127.0.0.1");
  const dir = mkdtempSync(join(tmpdir(), "portal-export-bench-"));
  const store = await openTestStore("sqlite");
  try {
    const config = {
      embedded: true,
      baseUrl: url,
      clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
      clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
      ratePerMin,
      cacheTtlMs: 10_000,
      deadlineMs: 8_000,
      attemptTimeoutMs: 4_000,
    };
    const shared = createRateBudget({ perMinute: ratePerMin, maxWaitMs: 5_000 });
    const client = createExportClient({ config, shared, share: SHARE });
    await addOwner(store.db, { id: "bench", email: "bench@local" });
    const engine = createExportEngine({
      db: async () => store.db,
      client,
      record: async () => undefined,
      key: TEST_EXPORT_KEY,
      ratePerMin: Math.max(1, Math.floor(ratePerMin * SHARE)),
    });
    const started = performance.now();
    const job = await engine.start({ owner: { id: "bench", email: "bench@local" }, query: {}, bom: false, unmasked: true, requestId: "bench" });
    await engine.settled(job.id);
    const seconds = (performance.now() - started) / 1000;
    const done = await engine.get(job.id, "bench");
    if (done?.status !== "done") throw new Error(`export ended ${done?.status}: ${done?.message}`);
    const stats = statsSchema.parse(await (await fetch(`${url}/__sandbox/stats`)).json());
    return { rows: done.rows, pages: done.pages, seconds, requests: stats.requests, status429: stats.byStatus["429"] ?? 0 };
  } finally {
    await sandbox.close();
    await store.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(label: string, r: Result) {
  const rate = r.rows / r.seconds;
  process.stdout.write(
    `${label.padEnd(34)} ${String(r.rows).padStart(6)} rows ${String(r.pages).padStart(4)} pages ${r.seconds.toFixed(2).padStart(8)} s ${rate.toFixed(0).padStart(8)} rows/s  upstream ${r.requests} req, ${r.status429} × 429\n`,
  );
}

process.stdout.write(`customers export, ${ROWS} customers, share ${SHARE}, node ${process.version}\n`);
for (let i = 1; i <= RUNS; i++) line(`limit off (run ${i})`, await exportOnce(1_000_000, 0));
line("default budget 100/min (50/min)", await exportOnce(100, 100));
