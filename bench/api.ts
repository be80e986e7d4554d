// `/api/customers` through the portal (signed in, cache off, audit on) against a minimal Next app that only
// attaches the keys and forwards (bench/forward), and the sandbox answering directly: side by side in one
// run, requests/s and latency at several concurrencies.
//   npx tsx bench/api.ts [--seconds 5] [--runs 3] [--port 3400] [--forward-port 3401] [--sandbox-port 4410]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "../sandbox/defaults";
import { median, runBench, signIn, startNode, startPortal, startSandbox, waitFor } from "./harness";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    port: { type: "string", default: "3400" },
    "forward-port": { type: "string", default: "3401" },
    "sandbox-port": { type: "string", default: "4410" },
  },
});
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const CONCURRENCY = [1, 8, 32, 128];
const QUERY = "take=25&status=ACTIVE";
const NEXT = "node_modules/next/dist/bin/next";
const forward = `http://127.0.0.1:${values["forward-port"]}`;

type Figures = { rps: number; p50: number; p99: number; errors: number };

async function load(url: string, connections: number, headers: Record<string, string>): Promise<Figures> {
  const r = await autocannon({ url, connections, duration: SECONDS, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors + r.timeouts };
}

const med = (runs: Figures[], k: keyof Figures) => median(runs.map((r) => r[k]));

runBench(async () => {
  const { url: sandbox } = await startSandbox({ port: Number(values["sandbox-port"]) });
  const portalUp = startPortal({
    port: Number(values.port), sandboxPort: Number(values["sandbox-port"]), cacheTtlMs: 0, ratePerMin: 100_000, env: { LOG_LEVEL: "warn" },
  });
  if (!existsSync("bench/forward/.next/BUILD_ID")) spawnSync(process.execPath, [NEXT, "build", "bench/forward"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const forwardChild = startNode([NEXT, "start", "bench/forward", "-p", values["forward-port"]], {
    FORWARD_UPSTREAM: sandbox, FORWARD_CLIENT_KEY: DEFAULT_SANDBOX_CLIENT_KEY, FORWARD_CLIENT_SECRET: DEFAULT_SANDBOX_CLIENT_SECRET, NEXT_TELEMETRY_DISABLED: "1",
  });
  const { url: portal } = await portalUp;
  await waitFor(`${forward}/api/customers?take=1`, 60_000, forwardChild);
  const cookie = await signIn(portal, "agent@demo.local");
  const direct = { url: `${sandbox}/api/v0/customers?${QUERY}`, headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET } };
  const through = { url: `${portal}/api/customers?${QUERY}`, headers: { cookie } };
  const minimal = { url: `${forward}/api/customers?${QUERY}`, headers: {} };
  for (const target of [direct, minimal, through]) await load(target.url, 8, target.headers);

  process.stdout.write(`GET ?${QUERY}, ${SECONDS} s per measurement, median of ${RUNS} alternating runs\n`);
  process.stdout.write("clients | sandbox req/s | forward req/s | portal req/s | portal/forward | forward p50/p99 ms | portal p50/p99 ms | portal adds p50 ms | errors\n");
  for (const c of CONCURRENCY) {
    const d: Figures[] = [];
    const f: Figures[] = [];
    const p: Figures[] = [];
    for (let i = 0; i < RUNS; i++) {
      d.push(await load(direct.url, c, direct.headers));
      f.push(await load(minimal.url, c, minimal.headers));
      p.push(await load(through.url, c, through.headers));
    }
    const row = [
      c,
      med(d, "rps").toFixed(0),
      med(f, "rps").toFixed(0),
      med(p, "rps").toFixed(0),
      (med(p, "rps") / med(f, "rps")).toFixed(2),
      `${med(f, "p50")}/${med(f, "p99")}`,
      `${med(p, "p50")}/${med(p, "p99")}`,
      (med(p, "p50") - med(f, "p50")).toFixed(1),
      [...d, ...f, ...p].reduce((n, r) => n + r.errors, 0),
    ];
    process.stdout.write(`${row.join(" | ")}\n`);
  }
});
