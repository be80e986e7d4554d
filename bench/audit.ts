// Audit write and verification throughput on SQLite and PostgreSQL, side by side.
//   npx tsx bench/audit.ts [--targets N (customers named per event, default 2)] [--store sqlite|postgres (default both)]
//                          [--recorders R (default 1)]
// --targets 10 is a list answer at the default page size (one audit_targets row per customer shown). --recorders 3
// splits the callers over three recorders, each on its own connection pool, as three instances on one store append:
// their group commits take turns on the one chain head.
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a throwaway cluster from scripts/postgres.mjs
// (left running afterwards; stop it with `node scripts/postgres.mjs stop`).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { rerunUnderReactServer } from "./react-server";

const CALLERS = [1, 16, 64] as const;
const RUNS = 3;
const eventsFor = (callers: number) => (callers === 1 ? 1000 : 5000);

rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({
  options: { targets: { type: "string", default: "2" }, store: { type: "string" }, recorders: { type: "string", default: "1" } },
});
const TARGETS = Number(values.targets);
const RECORDERS = Number(values.recorders);
if (!Number.isInteger(RECORDERS) || RECORDERS < 1 || RECORDERS > 16) throw new Error("--recorders must be a whole number from 1 to 16");
if (!Number.isInteger(TARGETS) || TARGETS < 1 || TARGETS > 100) throw new Error("--targets must be a whole number from 1 to 100");
if (values.store !== undefined && values.store !== "sqlite" && values.store !== "postgres") throw new Error("--store must be sqlite or postgres");
/** The customers event i names: the two of before by default, else TARGETS distinct ids. */
const targetsOf = (i: number) =>
  TARGETS === 2 ? [`cus_${i % 97}`, `cus_${i % 89}`] : Array.from({ length: TARGETS }, (_, k) => `cus_${(i * TARGETS + k) % 5000}`);

const { sql } = await import("kysely");
const { createDb } = await import("../lib/db/connect");
const { benchPostgresSchema } = await import("./postgres-schema");
const { migrateToLatest } = await import("../lib/db/migrations");
const { createAuditRecorder } = await import("../lib/audit/recorder");
const { verifyChain } = await import("../lib/audit/verify");
type Db = ReturnType<typeof createDb>;

interface StoreUnderTest {
  name: string;
  db: Db;
  /** Another connection (pool) to the same store, as another instance would open; closed by the caller. */
  connect(): Db;
  cleanup(): Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function writeRun(store: StoreUnderTest, callers: number): Promise<WriteFigure> {
  const total = eventsFor(callers);
  let transactions = 0;
  const dbs = [store.db, ...Array.from({ length: RECORDERS - 1 }, () => store.connect())];
  const recorders = dbs.map((db) => createAuditRecorder(db, { onBatch: () => transactions++ }));
  let next = 0;
  const caller = async (c: number) => {
    const recorder = recorders[c % recorders.length]!;
    while (next < total) {
      const i = next++;
      await recorder.record({
        actor: { id: "bench", email: "bench@example.com" },
        action: "customers.list",
        targets: targetsOf(i),
        query: { page: i % 10, q: "smith" },
        requestId: randomUUID(),
        outcome: "ok",
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, (_, c) => caller(c)));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(recorders.map((recorder) => recorder.close()));
  await Promise.all(dbs.slice(1).map((db) => db.destroy()));
  return { perSecond: total / seconds, avgBatch: total / transactions };
}

async function sqliteStore(): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-"));
  const file = join(dir, "portal.sqlite");
  const db = createDb({ kind: "sqlite", file });
  return {
    name: "sqlite",
    db,
    connect: () => createDb({ kind: "sqlite", file }),
    cleanup: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })),
  };
}

async function postgresStore(): Promise<StoreUnderTest> {
  const schema = await benchPostgresSchema();
  const db = createDb({ kind: "postgres", url: schema.url });
  return {
    name: "postgres",
    db,
    connect: () => createDb({ kind: "postgres", url: schema.url }),
    async cleanup() {
      await db.destroy();
      await schema.drop();
    },
  };
}

interface WriteFigure {
  perSecond: number;
  avgBatch: number;
}

interface StoreFigures {
  name: string;
  writes: Map<number, WriteFigure>;
  verify: number;
  chain: number;
}

async function measure(store: StoreUnderTest): Promise<StoreFigures> {
  await migrateToLatest(store.db);
  const writes = new Map<number, WriteFigure>();
  for (const callers of CALLERS) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await writeRun(store, callers));
    writes.set(callers, { perSecond: median(runs.map((x) => x.perSecond)), avgBatch: median(runs.map((x) => x.avgBatch)) });
  }
  const verifyRates: number[] = [];
  let chain = 0;
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    const result = await verifyChain(store.db, { batchSize: 1000 });
    if (!result.ok) throw new Error(`chain failed verification: ${JSON.stringify(result.firstBad)}`);
    chain = result.checked;
    verifyRates.push(result.checked / ((performance.now() - started) / 1000));
  }
  const { rows } = await sql<{ n: number }>`select count(*) as n from audit_events`.execute(store.db);
  if (Number(rows[0]?.n) !== chain) throw new Error("verify did not check every event");
  return { name: store.name, writes, verify: median(verifyRates), chain };
}

const results: StoreFigures[] = [];
const stores = { sqlite: sqliteStore, postgres: postgresStore };
for (const open of values.store === undefined ? Object.values(stores) : [stores[values.store]]) {
  const store = await open();
  try {
    results.push(await measure(store));
  } finally {
    await store.cleanup();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const col = (s: string) => s.padStart(24);
const lines = [
  `audit events/s, median of ${RUNS} runs (avg events per transaction in brackets), ${TARGETS} customers named per event, ${RECORDERS} recorder${RECORDERS === 1 ? "" : "s"}`,
  `${"callers".padEnd(10)}${results.map((r) => col(r.name)).join("")}`,
  ...CALLERS.map((c) => {
    const cells = results.map((r) => {
      const w = r.writes.get(c);
      return col(w ? `${fmt(w.perSecond)} (${w.avgBatch.toFixed(1)})` : "-");
    });
    return `${String(c).padEnd(10)}${cells.join("")}`;
  }),
  `${"verify".padEnd(10)}${results.map((r) => col(`${fmt(r.verify)} (${fmt(r.chain)} ev)`)).join("")}`,
];
process.stdout.write(`${lines.join("\n")}\n`);
