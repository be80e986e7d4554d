// Issue 16, point 3: every audit read uses an index. Each query below is built by the code that runs it (not copied),
// then EXPLAINed on both stores; a plan that reads audit_events or audit_targets without an index condition fails.
//
// SQLite: `EXPLAIN QUERY PLAN` on the same 20,000 events, with and without ANALYZE; a `SCAN audit_events` /
// `SCAN audit_targets` line (with or without USING INDEX: a whole index is as bad) is a full read.
// PostgreSQL: `EXPLAIN (FORMAT JSON)` with `enable_seqscan = off` in the test's transaction, on 20,000 ANALYZEd
// events. At that size PostgreSQL would still rightly pick a Seq Scan for much (it is cheaper than an index on a
// small table), which says nothing; with seqscan off it takes an index wherever one can serve, so a Seq Scan left in
// the plan means no index can, and an index scan with no Index Cond (a whole index walked with a Filter) or a bitmap
// scan with no Recheck Cond is caught as well. The stats keep the joins honest (on an empty table PostgreSQL hash-joins
// a customer's targets to all of audit_events). `npm run bench:audit-scale` times the same queries on millions.
import { CompiledQuery, type Compilable, type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/schema";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { accessReportQuery } from "./access-report";
import { BULK_VIEWER_CHUNK, bulkViewerChunk, bulkViewerTargets } from "./alert";
import { type AuditSearchFilter, chainEnd, countProbe, filteredEvents, readsRangeByTime } from "./search";
import { recentAccessQuery, requestEventsQuery } from "./queries";
import { FILTER_KEYS } from "./filters";
import { addMonths, AUDIT_PARTITION_NAME, createAuditPartitions, listAuditPartitions, partitionName } from "../db/audit-partitions";

const BIG = ["audit_events", "audit_targets"];
/** A PostgreSQL partition (audit_events_2026_03) counts as its table. */
const bigTable = (relation: string) => AUDIT_PARTITION_NAME.exec(relation)?.[1] ?? relation;

/** One value per filter the audit page and GET /api/audit offer; `actor` twice (staff id and email). */
const VALUES: Record<string, AuditSearchFilter> = {
  "actor id": { actor: "staff-1" },
  "actor email": { actor: "a@b.c" },
  action: { action: "customer.view" },
  customer: { customer: "cus_1" },
  address: { address: "10.0.0.1" },
  session: { session: "sid-1" },
  outcome: { outcome: "denied" },
  from: { from: "2026-03-01T00:00:00.000Z" },
  to: { to: "2026-03-02T00:00:00.000Z" },
};

/** Every filter alone, every pair of them (the form sends any combination) and all of them together. */
function filterCases(): [string, AuditSearchFilter][] {
  const names = Object.keys(VALUES);
  const cases: [string, AuditSearchFilter][] = names.map((n) => [n, VALUES[n] ?? {}]);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const [a, b] = [names[i] ?? "", names[j] ?? ""];
      if (a.startsWith("actor") && b.startsWith("actor")) continue;
      cases.push([`${a} + ${b}`, { ...VALUES[a], ...VALUES[b] }]);
    }
  }
  cases.push(["every filter", Object.assign({}, ...names.filter((n) => n !== "actor id").map((n) => VALUES[n]))]);
  return cases;
}

type Case = { name: string; query: Compilable<unknown>; walk?: boolean };

async function queryCases(db: Kysely<Database>): Promise<Case[]> {
  const cases: Case[] = [];
  const older = { seq: 1000, dir: "older" as const };
  const newer = { seq: 1000, dir: "newer" as const };
  for (const [name, f] of filterCases()) {
    // As searchEvents and countUpTo read it: by time when readsRangeByTime says so for these events.
    const byTime = await readsRangeByTime(db, f);
    cases.push({ name: `page: ${name}`, query: filteredEvents(db, f, "desc", 51, byTime) });
    cases.push({ name: `next page: ${name}`, query: filteredEvents(db, { ...f, cursor: older }, "desc", 51, byTime) });
    cases.push({ name: `previous page: ${name}`, query: filteredEvents(db, { ...f, cursor: newer }, "asc", 51, byTime) });
    cases.push({ name: `count probe: ${name}`, query: countProbe(db, f, 1000, byTime) });
  }
  // Unfiltered, the newest page is a walk down the primary key that a LIMIT ends: the one read allowed to start at
  // an end of the table, as it reads only what it shows.
  cases.push({ name: "page: no filter", query: filteredEvents(db, {}, "desc", 51), walk: true });
  cases.push({ name: "next page: no filter", query: filteredEvents(db, { cursor: older }, "desc", 51) });
  cases.push({ name: "previous page: no filter", query: filteredEvents(db, { cursor: newer }, "asc", 51) });
  cases.push({ name: "count probe: no filter", query: countProbe(db, {}, 1000, false), walk: true });
  cases.push({ name: "oldest event", query: chainEnd(db, "asc"), walk: true });
  cases.push({ name: "newest event", query: chainEnd(db, "desc"), walk: true });
  // The day counts on a staff member's and a customer's page: one capped probe per day, always read by time.
  const day = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
  for (const pinned of [{ actor: "staff-1" }, { actor: "a@b.c" }, { customer: "cus_1" }]) {
    cases.push({ name: `day count: ${JSON.stringify(pinned)}`, query: countProbe(db, { ...pinned, ...day }, 1000, true) });
  }
  cases.push({ name: "bulk viewers: first step", query: bulkViewerChunk(db, day.from, null, BULK_VIEWER_CHUNK) });
  cases.push({ name: "bulk viewers: next step", query: bulkViewerChunk(db, day.from, { at: day.from, seq: 7 }, BULK_VIEWER_CHUNK) });
  cases.push({ name: "bulk viewers: targets", query: bulkViewerTargets(db, [1, 2, 3]) });
  cases.push({ name: "access report", query: accessReportQuery(db, { customerId: "cus_1", from: new Date(day.from), to: new Date(day.to) }, 10_000) });
  cases.push({ name: "customer page: recent access", query: recentAccessQuery(db, "cus_1", 10) });
  cases.push({ name: "events of one request", query: requestEventsQuery(db, "req-1") });
  return cases;
}

/** SQLite: the plan's lines that read a big table whole. */
function sqliteScans(rows: { detail: string }[]): string[] {
  return rows.map((r) => r.detail).filter((d) => BIG.some((t) => new RegExp(`^SCAN ${t}\\b`).test(d)));
}

type PgNode = { "Node Type": string; "Relation Name"?: string; "Index Cond"?: string; "Recheck Cond"?: string; "Index Name"?: string; Plans?: PgNode[] };

/**
 * PostgreSQL partitions that hold no rows: the months created ahead of the writer (lib/db/audit-partitions.ts). The
 * planner may walk an empty partition's index whole, which reads nothing; any partition with rows is checked.
 */
const emptyPartitions = new Set<string>();

/** PostgreSQL: the plan's nodes that read a big table whole (Seq Scan, or an index scan with no Index Cond). */
function postgresScans(node: PgNode): string[] {
  const type = node["Node Type"];
  const whole =
    type === "Seq Scan" ||
    ((type === "Index Scan" || type === "Index Only Scan") && !node["Index Cond"]) ||
    (type === "Bitmap Heap Scan" && !node["Recheck Cond"]);
  const own =
    node["Relation Name"] && BIG.includes(bigTable(node["Relation Name"])) && !emptyPartitions.has(node["Relation Name"]) && whole
      ? [`${node["Node Type"]} on ${node["Relation Name"]}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}`]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(postgresScans)];
}

async function scansOf(store: TestStore, query: Compilable<unknown>): Promise<{ scans: string[]; plan: string }> {
  const compiled = query.compile();
  if (store.kind === "sqlite") {
    const { rows } = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
    return { scans: sqliteScans(rows), plan: rows.map((r) => r.detail).join("\n") };
  }
  return store.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ "QUERY PLAN": [{ Plan: PgNode }] }>(
      CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
    );
    const plan = rows[0]?.["QUERY PLAN"][0].Plan;
    if (!plan) throw new Error("no plan");
    return { scans: postgresScans(plan), plan: JSON.stringify(plan) };
  });
}

/** PostgreSQL: the partitions a plan reads (those left after plan-time pruning), sorted. */
async function partitionsRead(store: TestStore, query: Compilable<unknown>): Promise<string[]> {
  const compiled = query.compile();
  const { rows } = await store.db.executeQuery<{ "QUERY PLAN": [{ Plan: PgNode }] }>(
    CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
  );
  const found = new Set<string>();
  const walk = (node: PgNode) => {
    const relation = node["Relation Name"];
    if (relation && AUDIT_PARTITION_NAME.test(relation)) found.add(relation);
    for (const child of node.Plans ?? []) walk(child);
  };
  const plan = rows[0]?.["QUERY PLAN"][0].Plan;
  if (plan) walk(plan);
  return [...found].sort();
}

const SEED_EVENTS = 20_000;

/**
 * 20,000 events (50 staff, 5,000 customers, 2 targets each, a year of stamps) and ANALYZE, so both planners cost
 * with the shape of a real log: on an empty table PostgreSQL hash-joins a customer's few targets to all of
 * audit_events, a plan it never picks once it knows the table is big. Unchained rows: plans do not read hashes.
 */
async function seedForPlans(store: TestStore, analyze: boolean) {
  // PostgreSQL: the year's monthly partitions (the writer would have made them; this seed inserts directly).
  if (store.kind === "postgres")
    await createAuditPartitions(
      store.db,
      Array.from({ length: 13 }, (_, i) => addMonths("2026-01", i)),
    );
  const range = store.kind === "postgres" ? sql`generate_series(1, ${sql.lit(SEED_EVENTS)}) as g(i)` : sql`g`;
  const cte = store.kind === "postgres" ? sql`` : sql`with recursive g(i) as (select 1 union all select i + 1 from g where i < ${sql.lit(SEED_EVENTS)}) `;
  const text = (e: ReturnType<typeof sql>) => (store.kind === "postgres" ? sql`(${e})::text` : sql`cast(${e} as text)`);
  const at =
    store.kind === "postgres"
      ? sql`to_char(timestamp '2026-01-01' + (i * interval '26 minutes'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 26) || ' minutes')`;
  await sql`${cte}insert into audit_events (seq, id, at, actor_id, actor_email, action, targets, query, request_id, outcome, client_address, session_id, prev_hash, hash)
    select i, 'ev-' || ${text(sql`i`)}, ${at}, 'staff-' || ${text(sql`i % 50`)}, 'staff' || ${text(sql`i % 50`)} || '@bench.local',
      case when i % 10 = 0 then 'customer.reveal' when i % 3 = 0 then 'customers.list' else 'customer.view' end, '[]', '{}',
      'req-' || ${text(sql`i`)}, case when i % 33 = 0 then 'denied' else 'ok' end, '10.0.' || ${text(sql`i % 50`)} || '.1',
      'sid-' || ${text(sql`i % 50`)}, '', ''
    from ${range}`.execute(store.db);
  // PostgreSQL's index rows carry their event's time, the key they are partitioned by (migration 0020).
  const [cols, at2] = store.kind === "postgres" ? [sql`event_seq, customer_id, event_at`, sql`, at`] : [sql`event_seq, customer_id`, sql``];
  await sql`insert into audit_targets (${cols}) select seq, 'cus_' || ${text(sql`seq % 5000`)}${at2} from audit_events`.execute(store.db);
  await sql`insert into audit_targets (${cols}) select seq, 'cus_' || ${text(sql`(seq * 7 + 1) % 5000`)}${at2} from audit_events where (seq * 7 + 1) % 5000 <> seq % 5000`.execute(
    store.db,
  );
  if (analyze) await sql`analyze`.execute(store.db);
  if (store.kind === "postgres") {
    for (const { month } of await listAuditPartitions(store.db)) {
      for (const table of BIG) {
        const name = partitionName(table as "audit_events", month);
        const { rows } = await sql<{ any: boolean }>`select exists (select 1 from ${sql.id(name)}) as any`.execute(store.db);
        if (!rows[0]?.any) emptyPartitions.add(name);
      }
    }
  }
}

// SQLite twice: with statistics, and without, as the portal runs it (it never ANALYZEs; PostgreSQL's autovacuum does).
const VARIANTS = STORE_KINDS.flatMap(({ kind, skip }) => (kind === "sqlite" ? [true, false] : [true]).map((analyze) => ({ kind, skip, analyze })));

for (const { kind, skip, analyze } of VARIANTS) {
  describe.skipIf(skip)(`audit query plans on ${kind}${analyze ? ", ANALYZEd" : ", no statistics"}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(kind);
      await seedForPlans(store, analyze);
    });
    afterAll(async () => {
      await store.cleanup();
    });

    it("cover every filter the audit page offers", () => {
      const covered = new Set(Object.values(VALUES).flatMap((f) => Object.keys(f)));
      expect([...covered].sort()).toEqual([...FILTER_KEYS].sort());
    });

    it("reads every audit filter, alone and combined, the day counts, the bulk viewers and the access report through an index", async () => {
      const failures: string[] = [];
      for (const c of await queryCases(store.db)) {
        const { scans, plan } = await scansOf(store, c.query);
        if (c.walk) continue;
        if (scans.length > 0) failures.push(`${c.name}: ${scans.join("; ")}\n  ${plan}`);
      }
      expect(failures).toEqual([]);
    });

    // Issue 18, point 1: on the partitioned store a read bounded in time reads only the months of its range.
    it.skipIf(kind !== "postgres")("prunes partitions: a time-bounded read touches only the months in its range", async () => {
      const db = store.db;
      const day = { from: "2026-03-10T00:00:00.000Z", to: "2026-03-11T00:00:00.000Z" };
      const span = { from: "2026-03-20T00:00:00.000Z", to: "2026-04-05T00:00:00.000Z" };
      const march = ["audit_events_2026_03"];
      const cases: [string, Compilable<unknown>, string[]][] = [];
      for (const [name, f, months] of [
        ["one day", day, march],
        ["staff + one day", { actor: "staff-1", ...day }, march],
        ["staff email + one day", { actor: "staff1@bench.local", ...day }, march],
        ["action + one day", { action: "customer.view", ...day }, march],
        ["customer + one day", { customer: "cus_1", ...day }, [...march, "audit_targets_2026_03"]],
        ["from and to across a month's end", span, ["audit_events_2026_03", "audit_events_2026_04"]],
      ] as const) {
        const byTime = await readsRangeByTime(db, f);
        cases.push([`page: ${name}`, filteredEvents(db, f, "desc", 51, byTime), [...months]]);
        cases.push([`count probe: ${name}`, countProbe(db, f, 1000, byTime), [...months]]);
      }
      const report = { customerId: "cus_1", from: new Date(day.from), to: new Date(day.to) };
      cases.push(["access report, one day", accessReportQuery(db, report, 10_000), [...march, "audit_targets_2026_03"]]);
      cases.push(["bulk viewers from a day", bulkViewerChunk(db, "2026-12-20T00:00:00.000Z", null, BULK_VIEWER_CHUNK), ["audit_events_2026_12"]]);
      const read: Record<string, string[]> = {};
      const expected: Record<string, string[]> = {};
      for (const [name, query, months] of cases) {
        read[name] = (await partitionsRead(store, query)).filter((p) => !emptyPartitions.has(p));
        expected[name] = months;
      }
      expect(read).toEqual(expected);
      // The check can fail: with no time bound a filter reads every month that holds events.
      const everyMonth = await partitionsRead(store, filteredEvents(db, { action: "customer.view" }, "desc", 51));
      expect(everyMonth.filter((p) => !emptyPartitions.has(p))).toHaveLength(12);
    });

    it("catches a full read: a filter on a column without an index fails the check", async () => {
      const unindexed = store.db.selectFrom("audit_events").selectAll().where("user_agent", "=", "x").orderBy("seq", "desc").limit(51);
      expect((await scansOf(store, unindexed)).scans).not.toEqual([]);
      const grouped = store.db.selectFrom("audit_targets").select("customer_id").groupBy("customer_id");
      expect((await scansOf(store, grouped)).scans).not.toEqual([]);
    });
  });
}
