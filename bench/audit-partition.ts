// The partitioned audit store against the one table (issue 18, point 1). For each PostgreSQL schema, unpartitioned
// (migrations up to 0019) and partitioned by month (0020): loads N synthetic chained events (bench/audit-chain.ts,
// 390 days up to now) with COPY FROM STDIN (psql's, fed from this process: no driver dependency), ANALYZEs and
// VACUUMs, then prints per audit filter the page's p50/p95 and the count probe's p95 (--runs random values each), and
// the append throughput through the portal's own path (createAuditRecorder: group commit, chain head lock, Merkle
// frontier, index rows, partitions made ahead) with --writers concurrent callers. The loaded schemas are dropped.
//   npm run bench:audit-partition -- [--events 100000000] [--runs 30] [--appends 20000] [--writers 16]
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a cluster from scripts/postgres.mjs.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRandom } from "../sandbox/prng";
import { median, runBench, say, table } from "./harness";
import { rerunUnderReactServer } from "./react-server";

rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "100000000" },
    runs: { type: "string", default: "30" },
    appends: { type: "string", default: "20000" },
    writers: { type: "string", default: "16" },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);
const APPENDS = Number(values.appends);
const WRITERS = Number(values.writers);
if (![N, RUNS, APPENDS, WRITERS].every((x) => Number.isInteger(x) && x >= 1) || N < 1000) throw new Error("--events ≥ 1000; --runs, --appends, --writers ≥ 1");

const { Migrator, sql } = await import("kysely");
const { createDb } = await import("../lib/db/connect");
const { migrateToLatest, migrationsFor } = await import("../lib/db/migrations");
const { createAuditPartitions, ensureAuditPartitions } = await import("../lib/db/audit-partitions");
const { createAuditRecorder } = await import("../lib/audit/recorder");
const { frontierPush, frontierToJson, leafHash } = await import("../lib/merkle/tree");
const { benchPostgresSchema } = await import("./postgres-schema");
const { chain, COLUMNS, CUSTOMERS, filterShapes, monthsSpanned, SPAN_MS, STAFF, timeFilter } = await import("./audit-chain");
type Db = ReturnType<typeof createDb>;
type Variant = "unpartitioned" | "partitioned";

const END_MS = Date.now();
const START_MS = END_MS - SPAN_MS;
const SHAPE = { n: N, startMs: START_MS, stepMs: SPAN_MS / N };

/** COPY's text format: tab-separated, \N for null, backslash escapes. */
function copyLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map((c) => (c === null ? "\\N" : String(c).replace(/[\\\t\n\r]/g, (ch) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[ch] ?? ch))).join("\t")}\n`;
}

/** `copy <table> (<columns>) from stdin` through psql; write lines, then end(). */
function copyIn(url: string, table: string, columns: readonly string[]) {
  const child = spawn("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-c", `copy ${table} (${columns.join(", ")}) from stdin`], {
    stdio: ["pipe", "ignore", "inherit"],
  });
  const exited = once(child, "exit");
  return {
    async write(text: string) {
      if (!child.stdin.write(text)) await once(child.stdin, "drain");
    },
    async end() {
      child.stdin.end();
      const [code] = await exited;
      if (code !== 0) throw new Error(`psql copy into ${table} exited ${code}`);
    },
  };
}

/** psql takes a plain libpq URL: the schema goes in PGOPTIONS' search_path instead of the URL's `options`. */
function psqlUrl(url: string): string {
  const u = new URL(url);
  process.env.PGOPTIONS = u.searchParams.get("options") ?? "";
  u.searchParams.delete("options");
  return u.toString();
}

async function load(db: Db, url: string, variant: Variant): Promise<number> {
  const started = performance.now();
  const target = psqlUrl(url);
  const events = copyIn(target, "audit_events", COLUMNS);
  // The one table's foreign key wants every event before its index rows: those wait in a file for a second COPY.
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-partition-"));
  const targetFile = join(dir, "targets.copy");
  const targets = createWriteStream(targetFile);
  const frontier = { size: 0, hashes: [] as Buffer[] };
  let head: { seq: number; hash: string } | null = null;
  for (const rows of chain(SHAPE, 10_000)) {
    let eventText = "";
    let targetText = "";
    for (const row of rows) {
      eventText += copyLine(COLUMNS.map((c) => row[c]));
      for (const customer of row.targetIds) targetText += copyLine(variant === "partitioned" ? [row.seq, customer, row.at] : [row.seq, customer]);
      frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
    }
    if (!targets.write(targetText)) await once(targets, "drain");
    await events.write(eventText);
    const last = rows[rows.length - 1];
    if (last) head = { seq: last.seq, hash: last.hash };
    if (last && last.seq % 1_000_000 === 0)
      process.stderr.write(`  ${variant}: ${last.seq.toLocaleString("en-US")} events, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  await events.end();
  targets.end();
  await once(targets, "finish");
  const copyTargets = copyIn(target, "audit_targets", variant === "partitioned" ? ["event_seq", "customer_id", "event_at"] : ["event_seq", "customer_id"]);
  for await (const chunk of createReadStream(targetFile, { encoding: "utf8", highWaterMark: 1 << 20 })) await copyTargets.write(chunk as string);
  await copyTargets.end();
  rmSync(dir, { recursive: true, force: true });
  if (head)
    await sql`update audit_chain_head set seq = ${head.seq}, hash = ${head.hash}, merkle_frontier = ${frontierToJson(frontier)} where id = 1`.execute(db);
  // Through psql: no statement_timeout (the portal's pool has one, and a partitioned parent's ANALYZE samples every month).
  const maintenance = ["analyze audit_events", "analyze audit_targets", "vacuum audit_events", "vacuum audit_targets"].flatMap((c) => ["-c", c]);
  const maintained = spawnSync("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-d", target, ...maintenance], { stdio: ["ignore", "ignore", "inherit"] });
  if (maintained.status !== 0) throw new Error(`psql analyze/vacuum exited ${maintained.status}`);
  return (performance.now() - started) / 1000;
}

/** Events a second through createAuditRecorder: WRITERS callers, each recording its next event as soon as the last committed. */
async function appendRate(db: Db): Promise<number> {
  const recorder = createAuditRecorder(db);
  const rates: number[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      let left = Math.ceil(APPENDS / 3);
      const count = left;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          while (left-- > 0) {
            const customer = `cus_${Math.floor(Math.random() * CUSTOMERS)}`;
            await recorder.record({
              actor: { id: `staff-${w % STAFF}`, email: `staff${w % STAFF}@bench.local` },
              action: "customer.view",
              targets: [customer],
              query: { id: customer },
              requestId: randomUUID(),
              outcome: "ok",
            });
          }
        }),
      );
      rates.push(count / ((performance.now() - started) / 1000));
    }
  } finally {
    await recorder.close();
  }
  return median(rates);
}

async function run(variant: Variant) {
  const schema = await benchPostgresSchema();
  const db = createDb({ kind: "postgres", url: schema.url });
  try {
    if (variant === "partitioned") {
      await migrateToLatest(db);
      await createAuditPartitions(db, monthsSpanned(START_MS, END_MS));
    } else {
      const before = Object.fromEntries(Object.entries(migrationsFor("postgres")).filter(([name]) => name !== "0020_audit_partitions"));
      const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
      const { error } = await new Migrator({ db, migrationTableSchema: rows[0]?.s, provider: { getMigrations: async () => before } }).migrateToLatest();
      if (error) throw error;
    }
    // The pool learns the store's shape (one table or partitioned) before its first read, as the writer would.
    await ensureAuditPartitions(db, []);
    process.stderr.write(`${variant}: loading ${N.toLocaleString("en-US")} events with COPY\n`);
    const loadSeconds = await load(db, schema.url, variant);
    const rand = createRandom(7);
    const filters: [string, Awaited<ReturnType<typeof timeFilter>>][] = [];
    for (const [label, make] of filterShapes(rand, SHAPE)) {
      process.stderr.write(`  ${variant}: ${label}\n`);
      filters.push([label, await timeFilter(db, RUNS, (i) => ({ ...make(i), limit: 50 }))]);
    }
    process.stderr.write(`  ${variant}: appending ${APPENDS.toLocaleString("en-US")} events\n`);
    const appends = await appendRate(db);
    const { rows: size } = await sql<{ bytes: string }>`select sum(pg_total_relation_size(c.oid))::text as bytes from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and c.relname like 'audit_%'`.execute(db);
    const figures = { variant, loadSeconds, filters, appends, gb: Number(size[0]?.bytes ?? 0) / 1e9 };
    // Kept on stderr as soon as measured, so a later failure does not lose them.
    process.stderr.write(`${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await db.destroy();
    await schema.drop();
  }
}

runBench(async () => {
  const plain = await run("unpartitioned");
  const parted = await run("partitioned");
  const ms = (x: number) => x.toFixed(1);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "-");
  say(`audit log at ${N.toLocaleString("en-US")} events on PostgreSQL, ${RUNS} random values per filter, page of 50; ms`);
  say(
    table(
      ["filter", "one table p50 / p95 (count p95)", "partitioned p50 / p95 (count p95)", "p95 ratio"],
      plain.filters.map(([label, t], i) => {
        const p = parted.filters[i]?.[1];
        return [
          label,
          `${ms(t.page.p50)} / ${ms(t.page.p95)} (${ms(t.count.p95)})`,
          p ? `${ms(p.page.p50)} / ${ms(p.page.p95)} (${ms(p.count.p95)})` : "",
          p ? ratio(p.page.p95, t.page.p95) : "",
        ];
      }),
    ),
  );
  const worst = (f: typeof plain) => Math.max(...f.filters.flatMap(([, t]) => [t.page.p95, t.count.p95]));
  say();
  say(
    table(
      ["", "one table", "partitioned", "ratio"],
      [
        ["worst p95 of any filter, ms (goal 300)", ms(worst(plain)), ms(worst(parted)), ratio(worst(parted), worst(plain))],
        [`append, events/s (${WRITERS} callers, median of 3)`, Math.round(plain.appends), Math.round(parted.appends), ratio(parted.appends, plain.appends)],
        ["load with COPY (hashing included), s", plain.loadSeconds.toFixed(0), parted.loadSeconds.toFixed(0), ratio(parted.loadSeconds, plain.loadSeconds)],
        ["audit tables on disk, GB", plain.gb.toFixed(2), parted.gb.toFixed(2), ratio(parted.gb, plain.gb)],
      ],
    ),
  );
});
