// `npm run bench:balancer`: signed-in customer-list throughput of one portal instance reached directly, and of three
// instances on one PostgreSQL behind HAProxy (as e2e/balancer.spec.ts sets them up), side by side: medians of
// alternating runs of autocannon, requests per second and latency, and the ratio. The budget is set out of the way and
// the cache off, so every request is a gate, a Devdraft call to the sandbox and an audit event in the shared chain.
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL (a database of its own is made and dropped).
// Run: npm run bench:balancer -- [--runs 3] [--seconds 10] [--connections 12] [--base-port 5535]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { ensureHaproxy, startHaproxy } from "../e2e/helpers/haproxy";
import { withPg } from "../e2e/helpers/pg";
import { type Proc, stop } from "../e2e/helpers/processes";
import { addStaffWithCli } from "../test/support/sign-in";
import { freshDataDir, median, runBench, say, signIn, startPortal, startSandbox, stopAll, table, waitFor } from "./harness";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "12" },
    "base-port": { type: "string", default: "5535" },
  },
});
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const BASE = Number(values["base-port"]);
const PG_URL = (process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL)?.trim();
const LB_URL = `http://127.0.0.1:${BASE + 4}`;
const PASSWORD = `bench-${randomBytes(12).toString("base64url")}`;

type Figures = { rps: number; p50: number; p99: number; errors: number };

const admin = (text: string) => withPg(PG_URL ?? "", (client) => client.query(text));

async function load(url: string, cookie: string): Promise<Figures> {
  // Distinct pages, so coalescing cannot fold requests into one upstream call.
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { cookie },
    requests: [{ setupRequest: (req) => ({ ...req, path: `/api/customers?take=5&skip=${(i++ * 5) % 4000}` }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors + r.timeouts };
}

runBench(async () => {
  if (!PG_URL) throw new Error("set DATABASE_URL or TEST_DATABASE_URL (node scripts/postgres.mjs start prints one)");
  ensureHaproxy();
  const dbName = `bench_lb_${randomBytes(6).toString("hex")}`;
  await admin(`create database ${dbName}`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  const procs: Proc[] = [];
  try {
    const { url: sandbox } = await startSandbox({ port: BASE, customers: 5000 });
    const secret = randomBytes(32).toString("base64url");
    const ports = { a: BASE + 1, b: BASE + 2, c: BASE + 3 };
    // One at a time: three first starts migrating one store at once only fight over 2 cores.
    for (const port of Object.values(ports)) {
      await startPortal({
        port,
        sandboxPort: BASE,
        cacheTtlMs: 0,
        ratePerMin: 100_000,
        dataDir: freshDataDir("bench-lb-"),
        env: { DATABASE_URL: url.toString(), NEXTAUTH_SECRET: secret, NEXTAUTH_URL: LB_URL, LOG_LEVEL: "warn" },
      });
    }
    const lb = startHaproxy(procs, freshDataDir("bench-haproxy-"), BASE + 4, ports);
    await waitFor(`${LB_URL}/api/health/ready`, 20_000, lb.child);
    addStaffWithCli({ DATABASE_URL: url.toString() }, { email: "agent@bench.test", role: "agent", password: PASSWORD });
    const cookie = await signIn(LB_URL, "agent@bench.test", PASSWORD);
    say(
      `sandbox ${sandbox}; portals ${Object.values(ports).join(", ")} on one PostgreSQL; HAProxy ${LB_URL}; ${CONNECTIONS} connections, ${SECONDS} s a run, ${RUNS} runs each, alternating`,
    );

    const direct: Figures[] = [];
    const balanced: Figures[] = [];
    for (let run = 0; run < RUNS; run++) {
      direct.push(await load(`http://127.0.0.1:${ports.a}/api/customers`, cookie));
      balanced.push(await load(`${LB_URL}/api/customers`, cookie));
    }
    const med = (runs: Figures[], k: keyof Figures) => median(runs.map((r) => r[k]));
    const rows = [
      [
        "one instance, direct",
        med(direct, "rps").toFixed(0),
        med(direct, "p50").toFixed(0),
        med(direct, "p99").toFixed(0),
        direct.reduce((n, r) => n + r.errors, 0),
      ],
      [
        "three behind HAProxy",
        med(balanced, "rps").toFixed(0),
        med(balanced, "p50").toFixed(0),
        med(balanced, "p99").toFixed(0),
        balanced.reduce((n, r) => n + r.errors, 0),
      ],
    ] as const;
    say(table(["", "req/s (median)", "p50 ms", "p99 ms", "non-2xx/errors"], rows));
    say(`ratio three behind HAProxy / one direct: ${(med(balanced, "rps") / med(direct, "rps")).toFixed(2)}× requests per second`);
  } finally {
    await Promise.all(procs.map(stop));
    await stopAll();
    await admin(`drop database if exists ${dbName} with (force)`).catch(() => {});
  }
});
