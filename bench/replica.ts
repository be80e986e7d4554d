// What reading the audit log from a read replica costs a request (issue 18, point 2): one audit page's search
// (50 events, newest first) on the primary alone, beside the same search through auditReadSource() with
// DATABASE_READ_URL on a real streaming replica (its staleness check included), and that check alone.
//   npm run bench:replica -- [--events 5000] [--runs 300] [--replica-port 55436]
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a cluster from scripts/postgres.mjs; a schema of its own.
// The replica is pg_basebackup -R of that cluster (scripts/postgres.mjs startReplica), stopped at the end.
import { parseArgs } from "node:util";
import { rerunUnderReactServer } from "./react-server";

rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({
  options: { events: { type: "string", default: "5000" }, runs: { type: "string", default: "300" }, "replica-port": { type: "string" } },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);

const { benchPostgresSchema } = await import("./postgres-schema");
const { median, percentile, runBench, say, table } = await import("./harness");
const { startReplica, stopPostgres } = await import("../scripts/postgres.mjs");
const { closeServices: closeDb, services } = await import("../lib/services");
const getDb = () => services().db();
const getReadDb = () => services().readDb();
const { recordAudit } = await import("../lib/audit/index");
const { auditReadSource } = await import("../lib/audit/read-source");
const { searchEvents } = await import("../lib/audit/search");

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await work();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    ms.push(performance.now() - started);
  }
  return ms;
}

runBench(async () => {
  const store = await benchPostgresSchema();
  const primaryPort = Number(new URL(store.url).port);
  const replicaPort = Number(values["replica-port"] ?? primaryPort + 1);
  try {
    process.env.DATABASE_URL = store.url;
    delete process.env.DATABASE_READ_URL;
    for (let i = 0; i < EVENTS; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, EVENTS - i) }, (_, j) =>
          recordAudit({
            actor: { id: "bench", email: "bench@example.com" },
            action: "customer.view",
            targets: [`cus_${(i + j) % 97}`],
            query: {},
            requestId: crypto.randomUUID(),
            outcome: "ok",
          }),
        ),
      );
    }
    const primaryOnly = await timed(async () => searchEvents((await auditReadSource()).db, { limit: 50 }));

    await startReplica({ primaryPort, port: replicaPort });
    const replicaUrl = new URL(store.url);
    replicaUrl.port = String(replicaPort);
    process.env.DATABASE_READ_URL = replicaUrl.toString();
    const replica = await getReadDb();
    const head = async (db: typeof replica) => (await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).seq;
    while ((await head(replica)) < (await head(await getDb()))) await new Promise((r) => setTimeout(r, 50));
    const viaReplica = await timed(async () => searchEvents((await auditReadSource()).db, { limit: 50 }));
    const checkAlone = await timed(() => auditReadSource());
    if ((await auditReadSource()).from !== "replica") throw new Error("the reads did not go to the replica");

    const row = (name: string, ms: number[]) => [name, median(ms).toFixed(2), percentile(ms, 95).toFixed(2), (median(ms) / median(primaryOnly)).toFixed(2)];
    say(`${EVENTS} events, ${RUNS} runs each after 20 warm-up runs, one at a time; ms per request`);
    say(
      table(
        ["audit page search (50 events)", "median", "p95", "× primary"],
        [
          row("primary only (no DATABASE_READ_URL)", primaryOnly),
          row("replica, with its staleness check", viaReplica),
          row("the staleness check alone", checkAlone),
        ],
      ),
    );
  } finally {
    await closeDb();
    await stopPostgres({ port: replicaPort });
    await store.drop();
  }
});
