// The audit log at scale (issue 16, point 3): seeds N chained events (valid hashes) straight into each store, ANALYZEs,
// then reports per audit filter the page time and the "more than 1,000" count probe (p50/p95 over --runs random
// values), the day counts of a staff member's page, the access report, the bulk-viewer detector over a day (the old
// single query beside the stepped one, with the longest time the event loop was held), export throughput and
// verification time.
//   npm run bench:audit-scale -- [--events 10000000] [--stores sqlite,postgres] [--runs 50] [--verify yes|no]
//   npm run bench:audit-scale -- --stores sqlite --keep FILE    (seed into FILE and keep it)
//   npm run bench:audit-scale -- --stores sqlite --file FILE    (measure a SQLite file seeded before; it is kept)
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a cluster from scripts/postgres.mjs; seeded with multi-row
// inserts (unnest of arrays, 20,000 rows a statement). SQLite: one transaction. The seeded schema (PostgreSQL) and
// file (SQLite) are dropped afterwards.
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
    events: { type: "string", default: "10000000" },
    stores: { type: "string", default: "sqlite,postgres" },
    runs: { type: "string", default: "50" },
    verify: { type: "string", default: "yes" },
    // Seed SQLite into this file and keep it; measure a file seeded before (kept too) instead of seeding one.
    keep: { type: "string" },
    file: { type: "string" },
  },
});
let N = Number(values.events);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N < 1000 || !Number.isInteger(RUNS) || RUNS < 1) throw new Error("--events must be ≥ 1000 and --runs ≥ 1");

const SqliteDatabase = (await import("better-sqlite3")).default;
const pg = (await import("pg")).default;
const { sql } = await import("kysely");
const { createDb } = await import("../lib/db/connect");
const { migrateToLatest } = await import("../lib/db/migrations");
const { countsPerDay } = await import("../lib/audit/search");
const { bulkViewers } = await import("../lib/audit/alert");
const { accessReport } = await import("../lib/audit/access-report");
const { exportStream } = await import("../lib/audit/export");
const { verifyChain } = await import("../lib/audit/verify");
const { frontierPush, frontierToJson, leafHash } = await import("../lib/merkle/tree");
const { benchPostgresSchema } = await import("./postgres-schema");
const { createAuditPartitions } = await import("../lib/db/audit-partitions");
const {
  chain: chainOf,
  monthsSpanned,
  COLUMNS,
  CUSTOMERS,
  DAY,
  SPAN_MS,
  STAFF,
  filterShapes: shapesOf,
  times: timesOf,
  timeFilter: timeFilterOf,
} = await import("./audit-chain");
type SeedRow = import("./audit-chain").SeedRow;
type Db = ReturnType<typeof createDb>;

let START_MS = Date.now() - SPAN_MS;
if (values.file) {
  const raw = new SqliteDatabase(values.file, { readonly: true });
  N = Number((raw.prepare("select seq from audit_chain_head where id = 1").get() as { seq: number }).seq);
  const oldest = raw.prepare("select at from audit_events order by seq limit 1").get() as { at: string };
  START_MS = Date.parse(oldest.at) - SPAN_MS / N;
  raw.close();
}
const STEP_MS = SPAN_MS / N;
const chain = (size: number) => chainOf({ n: N, startMs: START_MS, stepMs: STEP_MS }, size);
const times = (make: (i: number) => Promise<unknown>) => timesOf(RUNS, make);
const timeFilter = (db: Db, make: Parameters<typeof timeFilterOf>[2]) => timeFilterOf(db, RUNS, make);
const filterShapes = (rand: () => number) => shapesOf(rand, { n: N, startMs: START_MS });

function progress(label: string, done: number, started: number) {
  if (done % 500_000 === 0 || done === N)
    process.stderr.write(`  ${label}: ${done.toLocaleString("en-US")} events, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

async function seedSqlite(file: string): Promise<{ seconds: number; head: SeedRow | null }> {
  const raw = new SqliteDatabase(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  raw.pragma("cache_size = -262144");
  const insertEvent = raw.prepare(`insert into audit_events (${COLUMNS.join(",")}) values (${COLUMNS.map(() => "?").join(",")})`);
  const insertTarget = raw.prepare("insert into audit_targets (event_seq, customer_id) values (?, ?)");
  let head: SeedRow | null = null;
  const write = (rows: SeedRow[]) => {
    for (const row of rows) {
      insertEvent.run(COLUMNS.map((c) => row[c]));
      for (const c of row.targetIds) insertTarget.run(row.seq, c);
    }
  };
  raw.exec("begin");
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
  raw.exec("commit");
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
  const types = COLUMNS.map((c) => (c === "seq" ? "bigint" : "text"));
  for (const rows of chain(20_000)) {
    const cols = COLUMNS.map((c) => rows.map((r) => r[c]));
    await client.query(`insert into audit_events (${COLUMNS.join(",")}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(",")})`, cols);
    const seqs: number[] = [];
    const customers: string[] = [];
    const ats: string[] = [];
    for (const r of rows) {
      for (const c of r.targetIds) {
        seqs.push(r.seq);
        customers.push(c);
        ats.push(r.at);
      }
    }
    // The index rows carry their event's time, the key of their monthly partitions (migration 0020).
    await client.query("insert into audit_targets (event_seq, customer_id, event_at) select * from unnest($1::bigint[], $2::text[], $3::text[])", [
      seqs,
      customers,
      ats,
    ]);
    for (const row of rows) frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
    head = rows[rows.length - 1] ?? head;
    done += rows.length;
    progress("postgres seed", done, started);
  }
  if (head)
    await client.query("update audit_chain_head set seq = $1, hash = $2, merkle_frontier = $3 where id = 1", [head.seq, head.hash, frontierToJson(frontier)]);
  await client.query("analyze audit_events");
  await client.query("analyze audit_targets");
  // As a live table would be after autovacuum: the visibility map set, so index-only reads need no heap visits.
  await client.query("vacuum audit_events");
  await client.query("vacuum audit_targets");
  await client.end();
  return { seconds: (performance.now() - started) / 1000, head };
}

/** The bulk-viewer query as it was before issue 16 point 3: one GROUP BY over every event since `since`. */
async function bulkViewersOneQuery(db: Db, since: Date) {
  const hour = sql<string>`substr(audit_events.at, 1, 13)`;
  const distinct = sql<number | string>`count(distinct audit_targets.customer_id)`;
  return db
    .selectFrom("audit_events")
    .innerJoin("audit_targets", "audit_targets.event_seq", "audit_events.seq")
    .where("audit_events.at", ">=", since.toISOString())
    .where("audit_events.outcome", "=", "ok")
    .select(["audit_events.actor_id", "audit_events.actor_email", hour.as("hour"), distinct.as("customers")])
    .groupBy(["audit_events.actor_id", "audit_events.actor_email", hour])
    .having(distinct, ">", 10)
    .orderBy(distinct, "desc")
    .limit(50)
    .execute();
}

/**
 * Median time of `run` over 5 runs and the median of each run's longest hold of the event loop: the longest gap
 * between the ticks of a 1 ms timer, waited for once more after the run so a stall at its very end is counted (the
 * median, as one preemption of this process by the loaded machine can make any single gap long).
 */
async function timeStall(run: () => Promise<unknown[]>) {
  const took: number[] = [];
  const stalls: number[] = [];
  let found = 0;
  for (let i = 0; i < 5; i++) {
    let last = performance.now();
    let longest = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    found = (await run()).length;
    took.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearInterval(ticker);
    stalls.push(longest);
  }
  return { p50: percentile(took, 50), stall: percentile(stalls, 50), found };
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
  const filters: [string, Awaited<ReturnType<typeof timeFilter>>][] = [];
  for (const [label, make] of filterShapes(rand)) {
    process.stderr.write(`  ${name}: ${label}\n`);
    filters.push([label, await timeFilter(db, (i) => ({ ...make(i), limit: 50 }))]);
  }
  const until = new Date(START_MS + SPAN_MS);
  const dayCounts = await times(() => countsPerDay(db, { actor: `staff-${Math.floor(rand() * STAFF)}` }, { days: 30, until }));
  const report = await times(() => accessReport(db, { customerId: `cus_${Math.floor(rand() * CUSTOMERS)}`, from: new Date(START_MS), to: until }));
  const since = new Date(START_MS + SPAN_MS - DAY);
  // The machine's own noise: the longest gap between ticks while nothing runs.
  const idle = await timeStall(() => new Promise<unknown[]>((resolve) => setTimeout(() => resolve([]), 100)));
  const bulkBefore = await timeStall(() => bulkViewersOneQuery(db, since));
  const bulkAfter = await timeStall(() => bulkViewers(db, { threshold: 10, since }));
  // Seven days: what one day of a seven times busier portal holds.
  const week = new Date(START_MS + SPAN_MS - 7 * DAY);
  const weekBefore = await timeStall(() => bulkViewersOneQuery(db, week));
  const weekAfter = await timeStall(() => bulkViewers(db, { threshold: 10, since: week }));
  const exportStaff = await timeExport(db, { actor: "staff7@bench.local" });
  let verifySeconds = Number.NaN;
  if (values.verify === "yes") {
    const verifyStarted = performance.now();
    const verified = await verifyChain(db, { batchSize: 5000 });
    verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (!verified.ok || verified.checked !== N) throw new Error(`${name}: verification failed: ${JSON.stringify(verified.firstBad)} after ${verified.checked}`);
  }
  return { name, seedSeconds, filters, dayCounts, report, idle, bulkBefore, bulkAfter, weekBefore, weekAfter, exportStaff, verifySeconds };
}

type Figures = Awaited<ReturnType<typeof measure>>;

async function runSqliteFile(file: string): Promise<Figures> {
  const db = createDb({ kind: "sqlite", file });
  try {
    return await measure("sqlite", db, Number.NaN);
  } finally {
    await db.destroy();
  }
}

async function runSqlite(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-scale-"));
  const file = values.keep ?? join(dir, "portal.sqlite");
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
    await createAuditPartitions(db, monthsSpanned(START_MS, START_MS + SPAN_MS));
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
  process.stderr.write(values.file ? `${store}: measuring ${values.file}\n` : `${store}: seeding ${N.toLocaleString("en-US")} events\n`);
  if (values.file && store === "sqlite") results.push(await runSqliteFile(values.file));
  else results.push(store === "sqlite" ? await runSqlite() : await runPostgres());
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const col = (s: string) => s.padStart(34);
const row = (label: string, cell: (f: Figures) => string) => `${label.padEnd(34)}${results.map((f) => col(cell(f))).join("")}`;
const worst = (f: Figures) => Math.max(...f.filters.flatMap(([, t]) => [t.page.p95, t.count.p95]));
const lines = [
  `audit log at ${fmt(N)} events, ${RUNS} runs per filter with random values; page of 50 p50 / p95, then the count probe's p95`,
  row("", (f) => f.name),
  row("seed (bulk insert, hashed)", (f) => (Number.isNaN(f.seedSeconds) ? "seeded before" : `${f.seedSeconds.toFixed(0)} s`)),
  ...(results[0]?.filters ?? []).map(([label], i) =>
    row(`filter: ${label}`, (f) => {
      const t = f.filters[i]?.[1];
      return t ? `${ms(t.page.p50)} / ${ms(t.page.p95)} (${ms(t.count.p95)})` : "";
    }),
  ),
  row("worst p95 of any filter (goal 300)", (f) => ms(worst(f))),
  row("day counts, 30 days, one staff", (f) => `${ms(f.dayCounts.p50)} / ${ms(f.dayCounts.p95)}`),
  row("access report, one customer, all", (f) => `${ms(f.report.p50)} / ${ms(f.report.p95)}`),
  row("event loop idle (noise floor)", (f) => `loop held ${ms(f.idle.stall)}`),
  row("bulk viewers, last day: one query", (f) => `${ms(f.bulkBefore.p50)}, loop held ${ms(f.bulkBefore.stall)}`),
  row("bulk viewers, last day: stepped", (f) => `${ms(f.bulkAfter.p50)}, loop held ${ms(f.bulkAfter.stall)}`),
  row("bulk viewers, 7 days: one query", (f) => `${ms(f.weekBefore.p50)}, loop held ${ms(f.weekBefore.stall)}`),
  row("bulk viewers, 7 days: stepped", (f) => `${ms(f.weekAfter.p50)}, loop held ${ms(f.weekAfter.stall)}`),
  row("export CSV, one staff member", (f) => `${fmt(f.exportStaff.perSecond)} ev/s (${fmt(f.exportStaff.events)})`),
  row("verify whole chain", (f) => (Number.isNaN(f.verifySeconds) ? "skipped" : `${f.verifySeconds.toFixed(1)} s (${fmt(N / f.verifySeconds)} ev/s)`)),
];
process.stdout.write(`${lines.join("\n")}\n`);
