// Audit write and verification throughput on SQLite and PostgreSQL, side by side.
//   npx tsx bench/audit.ts
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a throwaway cluster from scripts/postgres.mjs
// (left running afterwards; stop it with `node scripts/postgres.mjs stop`).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rerunUnderReactServer } from "./react-server";

const CALLERS = [1, 16, 64] as const;
const RUNS = 3;
const eventsFor = (callers: number) => (callers === 1 ? 1000 : 5000);

rerunUnderReactServer(import.meta.url);

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
  cleanup(): Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function writeRun(db: Db, callers: number): Promise<WriteFigure> {
  const total = eventsFor(callers);
  let transactions = 0;
  const recorder = createAuditRecorder(db, { onBatch: () => transactions++ });
  let next = 0;
  const caller = async () => {
    while (next < total) {
      const i = next++;
      await recorder.record({
        actor: { id: "bench", email: "bench@example.com" },
        action: "customers.list",
        targets: [`cus_${i % 97}`, `cus_${i % 89}`],
        query: { page: i % 10, q: "smith" },
        requestId: randomUUID(),
        outcome: "ok",
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, caller));
  const seconds = (performance.now() - started) / 1000;
  await recorder.close();
  return { perSecond: total / seconds, avgBatch: total / transactions };
}

async function sqliteStore(): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-"));
  const db = createDb({ kind: "sqlite", file: join(dir, "portal.sqlite") });
  return { name: "sqlite", db, cleanup: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
}

async function postgresStore(): Promise<StoreUnderTest> {
  const schema = await benchPostgresSchema();
  const db = createDb({ kind: "postgres", url: schema.url });
  return {
    name: "postgres",
    db,
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
    for (let r = 0; r < RUNS; r++) runs.push(await writeRun(store.db, callers));
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
for (const open of [sqliteStore, postgresStore]) {
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
  `audit events/s, median of ${RUNS} runs (avg events per transaction in brackets)`,
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
