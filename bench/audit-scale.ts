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
const { migrateToLatest, GENESIS_HASH } = await import("../lib/db/migrations");
const { canonicalEventString } = await import("../lib/audit/hash");
const { countsPerDay, countUpTo, searchEvents } = await import("../lib/audit/search");
const { bulkViewers } = await import("../lib/audit/alert");
const { accessReport } = await import("../lib/audit/access-report");
const { exportStream } = await import("../lib/audit/export");
const { verifyChain } = await import("../lib/audit/verify");
const { frontierPush, frontierToJson, leafHash } = await import("../lib/merkle/tree");
const { benchPostgresSchema } = await import("./postgres-schema");
type Db = ReturnType<typeof createDb>;

const STAFF = 50;
const CUSTOMERS = 200_000;
const SPAN_MS = 390 * 86_400_000;
let START_MS = Date.now() - SPAN_MS;
if (values.file) {
  const raw = new SqliteDatabase(values.file, { readonly: true });
  N = Number((raw.prepare("select seq from audit_chain_head where id = 1").get() as { seq: number }).seq);
  const oldest = raw.prepare("select at from audit_events order by seq limit 1").get() as { at: string };
  START_MS = Date.parse(oldest.at) - SPAN_MS / N;
  raw.close();
}
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

// Every hashed field, the origin columns included (they are in the hash; without them the seeded chain does not verify).
const COLUMNS = [
  "seq",
  "id",
  "at",
  "actor_id",
  "actor_email",
  "action",
  "targets",
  "query",
  "request_id",
  "outcome",
  "detail",
  "session_id",
  "client_address",
  "user_agent",
  "refusal",
  "purpose",
  "prev_hash",
  "hash",
] as const;

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
    for (const r of rows) {
      for (const c of r.targetIds) {
        seqs.push(r.seq);
        customers.push(c);
      }
    }
    await client.query("insert into audit_targets (event_seq, customer_id) select * from unnest($1::bigint[], $2::text[])", [seqs, customers]);
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

type Filter = Parameters<typeof searchEvents>[1];
type Timing = { p50: number; p95: number };

async function times(make: (i: number) => Promise<unknown>): Promise<Timing> {
  const took: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await make(i);
    took.push(performance.now() - started);
  }
  return { p50: percentile(took, 50), p95: percentile(took, 95) };
}

/** The page (searchEvents, page of 50) and the count probe (countUpTo, "more than 1,000") for one filter shape. */
async function timeFilter(db: Db, make: (i: number) => Filter) {
  const filters = Array.from({ length: RUNS }, (_, i) => make(i));
  await searchEvents(db, filters[0] ?? {});
  const page = await times((i) => searchEvents(db, filters[i] ?? {}));
  const count = await times((i) => countUpTo(db, filters[i] ?? {}));
  return { page, count };
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

const DAY = 86_400_000;
const ACTIONS = ["customers.list", "customer.view", "customer.reveal", "audit.view"];

/** Every filter the audit page offers, alone and in the combinations its form produces most. */
function filterShapes(rand: () => number): [string, (i: number) => Filter][] {
  const pick = (n: number) => Math.floor(rand() * n);
  const dayStart = () => new Date(START_MS + (1 + pick(Math.floor(SPAN_MS / DAY) - 2)) * DAY).toISOString();
  const oneDay = () => {
    const from = dayStart();
    return { from, to: new Date(Date.parse(from) + DAY).toISOString() };
  };
  return [
    ["customer id", () => ({ customer: `cus_${pick(CUSTOMERS)}` })],
    ["staff id", () => ({ actor: `staff-${pick(STAFF)}` })],
    ["staff email", () => ({ actor: `staff${pick(STAFF)}@bench.local` })],
    ["action", () => ({ action: ACTIONS[pick(ACTIONS.length)] })],
    ["outcome denied (3 %)", () => ({ outcome: "denied" })],
    ["client address", () => ({ address: `10.0.${pick(STAFF)}.1` })],
    ["session", () => ({ session: `sid-${pick(STAFF)}` })],
    ["from (a day, open end)", () => ({ from: dayStart() })],
    ["to (a day, open start)", () => ({ to: dayStart() })],
    ["one-day range", oneDay],
    ["staff id + one-day range", () => ({ actor: `staff-${pick(STAFF)}`, ...oneDay() })],
    ["staff email + action", () => ({ actor: `staff${pick(STAFF)}@bench.local`, action: ACTIONS[pick(ACTIONS.length)] })],
    ["action + outcome denied", () => ({ action: ACTIONS[pick(ACTIONS.length)], outcome: "denied" })],
    ["customer + one-day range", () => ({ customer: `cus_${pick(CUSTOMERS)}`, ...oneDay() })],
    ["staff id, cursor mid-chain", () => ({ actor: `staff-${pick(STAFF)}`, cursor: { seq: Math.floor(N / 2), dir: "older" as const } })],
    ["no filter", () => ({})],
  ];
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
