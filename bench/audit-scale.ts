// The audit log at scale: seeds N chained events (valid hashes) straight into each store, then reports the
// filtered page time (p50/p95) for a customer, a staff member and a time range, export throughput and
// verification time.
//   npx tsx bench/audit-scale.ts [--events 5000000] [--stores sqlite,postgres] [--runs 50]
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a cluster from scripts/postgres.mjs. The seeded schema
// (PostgreSQL) and file (SQLite) are dropped afterwards.
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRandom } from "../sandbox/prng";
import { percentile } from "./harness";
import { rerunUnderReactServer } from "./react-server";


rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "5000000" },
    stores: { type: "string", default: "sqlite,postgres" },
    runs: { type: "string", default: "50" },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N < 1000 || !Number.isInteger(RUNS) || RUNS < 1) throw new Error("--events must be ≥ 1000 and --runs ≥ 1");

const SqliteDatabase = (await import("better-sqlite3")).default;
const pg = (await import("pg")).default;
const { sql } = await import("kysely");
const { createDb } = await import("../lib/db/connect");
const { migrateToLatest, GENESIS_HASH } = await import("../lib/db/migrations");
const { canonicalEventString } = await import("../lib/audit/hash");
const { searchEvents } = await import("../lib/audit/search");
const { exportStream } = await import("../lib/audit/export");
const { verifyChain } = await import("../lib/audit/verify");
const { frontierPush, frontierToJson, leafHash } = await import("../lib/audit/merkle");
const { benchPostgresSchema } = await import("./postgres-schema");
type Db = ReturnType<typeof createDb>;

const STAFF = 50;
const CUSTOMERS = 200_000;
const SPAN_MS = 390 * 86_400_000;
const START_MS = Date.now() - SPAN_MS;
const STEP_MS = SPAN_MS / N;

interface SeedRow {
  seq: number;
  id: string;
  at: string;
  actor_id: string;
  actor_email: string;
  action: string;
  targets: string;
  query: string;
  request_id: string;
  outcome: string;
  detail: null;
  session_id: string;
  client_address: string;
  user_agent: string;
  refusal: null;
  purpose: null;
  prev_hash: string;
  hash: string;
  targetIds: string[];
}

/** Yields the chain in order, `size` rows at a time, each hashed exactly as the recorder would. */
function* chain(size: number): Generator<SeedRow[]> {
  const rand = createRandom(42);
  let prev = GENESIS_HASH;
  let batch: SeedRow[] = [];
  for (let seq = 1; seq <= N; seq++) {
    const staff = Math.floor(rand() * STAFF);
    const r = rand();
    const customer = () => `cus_${Math.floor(rand() * CUSTOMERS)}`;
    const [action, targetIds, query] =
      r < 0.3
        ? (["customers.list", Array.from({ length: 5 }, customer), `{"skip":${Math.floor(rand() * 40) * 25},"take":25}`] as const)
        : r < 0.8
          ? (() => {
              const c = customer();
              return ["customer.view", [c], `{"id":"${c}"}`] as const;
            })()
          : r < 0.9
            ? (() => {
                const c = customer();
                return ["customer.reveal", [c], `{"id":"${c}"}`] as const;
              })()
            : (["audit.view", [], `{"path":"/audit"}`] as const);
    const ids = [...new Set(targetIds)];
    const fields = {
      id: randomUUID(),
      at: new Date(START_MS + seq * STEP_MS).toISOString(),
      actor_id: `staff-${staff}`,
      actor_email: `staff${staff}@bench.local`,
      action,
      targets: JSON.stringify(targetIds),
      query,
      request_id: randomUUID(),
      outcome: rand() < 0.97 ? "ok" : "denied",
      detail: null,
      session_id: `sid-${staff}`,
      client_address: `10.0.${staff % 256}.1`,
      user_agent: "Mozilla/5.0 (bench)",
      refusal: null,
      purpose: null,
    };
    const hash = createHash("sha256").update(canonicalEventString(prev, fields), "utf8").digest("hex");
    batch.push({ seq, ...fields, prev_hash: prev, hash, targetIds: ids });
    prev = hash;
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const COLUMNS = ["seq", "id", "at", "actor_id", "actor_email", "action", "targets", "query", "request_id", "outcome", "detail", "prev_hash", "hash"] as const;

function progress(label: string, done: number, started: number) {
  if (done % 500_000 === 0 || done === N) process.stderr.write(`  ${label}: ${done.toLocaleString("en-US")} events, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

async function seedSqlite(file: string): Promise<{ seconds: number; head: SeedRow | null }> {
  const raw = new SqliteDatabase(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  raw.pragma("cache_size = -262144");
  const insertEvent = raw.prepare(`insert into audit_events (${COLUMNS.join(",")}) values (${COLUMNS.map(() => "?").join(",")})`);
  const insertTarget = raw.prepare("insert into audit_targets (event_seq, customer_id) values (?, ?)");
  let head: SeedRow | null = null;
  const write = raw.transaction((rows: SeedRow[]) => {
    for (const row of rows) {
      insertEvent.run(COLUMNS.map((c) => row[c]));
      for (const c of row.targetIds) insertTarget.run(row.seq, c);
    }
  });
  const started = performance.now();
  let done = 0;
  // The Merkle frontier the recorder would have kept (migration 0008), so the seeded store verifies.
  const frontier = { size: 0, hashes: [] as Buffer[] };
  for (const rows of chain(50_000)) {
    write(rows);
    for (const row of rows) frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
    head = rows[rows.length - 1] ?? head;
    done += rows.length;
    progress("sqlite seed", done, started);
  }
  if (head) raw.prepare("update audit_chain_head set seq = ?, hash = ?, merkle_frontier = ? where id = 1").run(head.seq, head.hash, frontierToJson(frontier));
  raw.exec("analyze");
  raw.close();
  return { seconds: (performance.now() - started) / 1000, head };
}

async function seedPostgres(url: string): Promise<{ seconds: number; head: SeedRow | null }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("set synchronous_commit = off");
  let head: SeedRow | null = null;
  const started = performance.now();
  let done = 0;
  const frontier = { size: 0, hashes: [] as Buffer[] };
  const types = ["bigint", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text"];
  for (const rows of chain(20_000)) {
    const cols = COLUMNS.map((c) => rows.map((r) => r[c]));
    await client.query(
      `insert into audit_events (${COLUMNS.join(",")}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(",")})`,
      cols,
    );
    const seqs: number[] = [];
    const customers: string[] = [];
    for (const r of rows) for (const c of r.targetIds) (seqs.push(r.seq), customers.push(c));
    await client.query("insert into audit_targets (event_seq, customer_id) select * from unnest($1::bigint[], $2::text[])", [seqs, customers]);
    for (const row of rows) frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
    head = rows[rows.length - 1] ?? head;
    done += rows.length;
    progress("postgres seed", done, started);
  }
  if (head) await client.query("update audit_chain_head set seq = $1, hash = $2, merkle_frontier = $3 where id = 1", [head.seq, head.hash, frontierToJson(frontier)]);
  await client.query("analyze audit_events");
  await client.query("analyze audit_targets");
  await client.end();
  return { seconds: (performance.now() - started) / 1000, head };
}


async function timePages(db: Db, make: (i: number) => Parameters<typeof searchEvents>[1]) {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const page = await searchEvents(db, make(i));
    times.push(performance.now() - started);
    rows += page.events.length;
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), avgRows: rows / RUNS };
}

async function timeExport(db: Db, filter: Parameters<typeof exportStream>[1]) {
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  const reader = exportStream(db, filter, "csv").getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: lines - 1, perSecond: (lines - 1) / seconds, mb: bytes / 1e6 };
}

async function measure(name: string, db: Db, seedSeconds: number) {
  const rand = createRandom(7);
  const day = 86_400_000;
  const dayStart = (i: number) => new Date(START_MS + Math.floor(rand() * (SPAN_MS / day - 2)) * day + (i % 2) * 0).toISOString();
  // A warm-up query per shape, so the figures are steady state rather than first-touch.
  await searchEvents(db, { customer: "cus_1", limit: 50 });
  const customer = await timePages(db, () => ({ customer: `cus_${Math.floor(rand() * CUSTOMERS)}`, limit: 50 }));
  const staff = await timePages(db, () => ({ actor: `staff${Math.floor(rand() * STAFF)}@bench.local`, limit: 50 }));
  const range = await timePages(db, (i) => {
    const from = dayStart(i);
    return { from, to: new Date(Date.parse(from) + day).toISOString(), limit: 50 };
  });
  const deepStaff = await timePages(db, () => ({ actor: `staff-${Math.floor(rand() * STAFF)}`, limit: 50, cursor: { seq: Math.floor(N / 2), dir: "older" as const } }));
  const exportStaff = await timeExport(db, { actor: "staff7@bench.local" });
  const verifyStarted = performance.now();
  const verified = await verifyChain(db, { batchSize: 5000 });
  const verifySeconds = (performance.now() - verifyStarted) / 1000;
  if (!verified.ok || verified.checked !== N) throw new Error(`${name}: verification failed: ${JSON.stringify(verified.firstBad)} after ${verified.checked}`);
  return { name, seedSeconds, customer, staff, range, deepStaff, exportStaff, verifySeconds };
}

type Figures = Awaited<ReturnType<typeof measure>>;

async function runSqlite(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-scale-"));
  const file = join(dir, "portal.sqlite");
  try {
    const setup = createDb({ kind: "sqlite", file });
    await migrateToLatest(setup);
    await setup.destroy();
    const { seconds } = await seedSqlite(file);
    const db = createDb({ kind: "sqlite", file });
    try {
      return await measure("sqlite", db, seconds);
    } finally {
      await db.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<Figures> {
  const schema = await benchPostgresSchema();
  const db = createDb({ kind: "postgres", url: schema.url });
  try {
    await migrateToLatest(db);
    const { seconds } = await seedPostgres(schema.url);
    await sql`select 1`.execute(db);
    return await measure("postgres", db, seconds);
  } finally {
    await db.destroy();
    await schema.drop();
  }
}

const results: Figures[] = [];
for (const store of values.stores.split(",")) {
  process.stderr.write(`${store}: seeding ${N.toLocaleString("en-US")} events\n`);
  results.push(store === "sqlite" ? await runSqlite() : await runPostgres());
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const col = (s: string) => s.padStart(26);
const row = (label: string, cell: (f: Figures) => string) => `${label.padEnd(34)}${results.map((f) => col(cell(f))).join("")}`;
const lines = [
  `audit log at ${fmt(N)} events, page of 50, ${RUNS} runs each (p50 / p95)`,
  row("", (f) => f.name),
  row("seed (bulk insert, hashed)", (f) => `${f.seedSeconds.toFixed(0)} s`),
  row("page: customer id", (f) => `${ms(f.customer.p50)} / ${ms(f.customer.p95)}`),
  row("page: staff member (email)", (f) => `${ms(f.staff.p50)} / ${ms(f.staff.p95)}`),
  row("page: one-day time range", (f) => `${ms(f.range.p50)} / ${ms(f.range.p95)}`),
  row("page: staff id, cursor mid-chain", (f) => `${ms(f.deepStaff.p50)} / ${ms(f.deepStaff.p95)}`),
  row("export CSV, one staff member", (f) => `${fmt(f.exportStaff.perSecond)} ev/s (${fmt(f.exportStaff.events)})`),
  row("verify whole chain", (f) => `${f.verifySeconds.toFixed(1)} s (${fmt(N / f.verifySeconds)} ev/s)`),
];
process.stdout.write(`${lines.join("\n")}\n`);
