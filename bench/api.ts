// `/api/customers` through the portal (signed in, cache off, audit on) against a minimal Next app that only
// attaches the keys and forwards (bench/forward), and the sandbox answering directly: side by side in one
// run, with a second portal beside the first that routes the same request through Next (PORTAL_DIRECT_API=off, the
// path before scripts/direct-api.mjs), requests/s and latency at several concurrencies, and the CPU each server spends per request (read from
// /proc around each measurement: on a shared machine a steadier figure than requests/s), the Server-Timing breakdown
// of sequential answers and the JavaScript of /customers (bench/js-size.ts). Where the CPU goes: bench/profile.ts.
//   npx tsx bench/api.ts [--seconds 5] [--runs 3] [--port 3400] [--forward-port 3401] [--next-port 3402] [--sandbox-port 4410]
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { parseServerTiming, STAGES } from "../lib/observe/timing";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "../sandbox/defaults";
import { cpuMs, median, runBench, serverPid, signIn, startNode, startPortal, startSandbox, waitFor } from "./harness";
import { customersPageJs, describeJs } from "./js-size";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    port: { type: "string", default: "3400" },
    "forward-port": { type: "string", default: "3401" },
    "next-port": { type: "string", default: "3402" },
    "sandbox-port": { type: "string", default: "4410" },
  },
});
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const CONCURRENCY = [1, 8, 32, 128];
const QUERY = "take=25&status=ACTIVE";
const NEXT = "node_modules/next/dist/bin/next";
const forward = `http://127.0.0.1:${values["forward-port"]}`;

type Figures = { rps: number; p50: number; p99: number; errors: number; cpuPerRequest: number };

async function load(url: string, connections: number, headers: Record<string, string>, pid?: number): Promise<Figures> {
  const before = pid === undefined ? 0 : cpuMs(pid);
  const r = await autocannon({ url, connections, duration: SECONDS, headers });
  const cpuPerRequest = pid === undefined ? Number.NaN : (cpuMs(pid) - before) / Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors + r.timeouts, cpuPerRequest };
}

// Built again whenever a source of the forward is newer than its build (a stale build once carried the portal's code).
function forwardIsBuilt(): boolean {
  const built = "bench/forward/.next/BUILD_ID";
  if (!existsSync(built)) return false;
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === ".next" ? [] : e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)]));
  const builtAt = statSync(built).mtimeMs;
  return sources("bench/forward").every((file) => statSync(file).mtimeMs <= builtAt);
}

const med = (runs: Figures[], k: keyof Figures) => median(runs.map((r) => r[k]));

runBench(async () => {
  const { url: sandbox } = await startSandbox({ port: Number(values["sandbox-port"]) });
  // Signed in, cache off, every answer audited; `env` adds PORTAL_DIRECT_API=off for the portal through Next.
  const portalOn = (port: string | undefined, env: Record<string, string> = {}) =>
    startPortal({ port: Number(port), sandboxPort: Number(values["sandbox-port"]), cacheTtlMs: 0, ratePerMin: 100_000, env: { LOG_LEVEL: "warn", ...env } });
  const portalUp = portalOn(values.port);
  if (!forwardIsBuilt())
    spawnSync(process.execPath, [NEXT, "build", "bench/forward"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const forwardChild = startNode([NEXT, "start", "bench/forward", "-p", values["forward-port"]], {
    FORWARD_UPSTREAM: sandbox,
    FORWARD_CLIENT_KEY: DEFAULT_SANDBOX_CLIENT_KEY,
    FORWARD_CLIENT_SECRET: DEFAULT_SANDBOX_CLIENT_SECRET,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const { url: portal, child: portalChild } = await portalUp;
  // One after the other: the first start builds the portal when its sources are newer than the build.
  const { url: viaNextUrl, child: viaNextChild } = await portalOn(values["next-port"], { PORTAL_DIRECT_API: "off" });
  await waitFor(`${forward}/api/customers?take=1`, 60_000, forwardChild);
  const portalPid = serverPid(portalChild.pid ?? 0);
  const forwardPid = serverPid(forwardChild.pid ?? 0);
  const viaNextPid = serverPid(viaNextChild.pid ?? 0);
  const cookie = await signIn(portal, "agent@demo.local");
  const viaNextCookie = await signIn(viaNextUrl, "agent@demo.local");
  const direct = {
    url: `${sandbox}/api/v0/customers?${QUERY}`,
    headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET },
  };
  const through = { url: `${portal}/api/customers?${QUERY}`, headers: { cookie } };
  const minimal = { url: `${forward}/api/customers?${QUERY}`, headers: {} };
  const viaNext = { url: `${viaNextUrl}/api/customers?${QUERY}`, headers: { cookie: viaNextCookie } };
  for (const target of [direct, minimal, through, viaNext]) await load(target.url, 8, target.headers);

  process.stdout.write(`GET ?${QUERY}, ${SECONDS} s per measurement, median of ${RUNS} alternating runs\n`);
  process.stdout.write(
    "clients | sandbox req/s | forward req/s | portal req/s | portal/forward | via Next req/s | via Next/forward | forward p50/p99 ms | portal p50/p99 ms | portal adds p50 / p99 ms | CPU ms/request forward / portal (ratio) / via Next | errors\n",
  );
  for (const c of CONCURRENCY) {
    const d: Figures[] = [];
    const f: Figures[] = [];
    const p: Figures[] = [];
    const n: Figures[] = [];
    for (let i = 0; i < RUNS; i++) {
      d.push(await load(direct.url, c, direct.headers));
      f.push(await load(minimal.url, c, minimal.headers, forwardPid));
      p.push(await load(through.url, c, through.headers, portalPid));
      n.push(await load(viaNext.url, c, viaNext.headers, viaNextPid));
    }
    const row = [
      c,
      med(d, "rps").toFixed(0),
      med(f, "rps").toFixed(0),
      med(p, "rps").toFixed(0),
      (med(p, "rps") / med(f, "rps")).toFixed(2),
      med(n, "rps").toFixed(0),
      (med(n, "rps") / med(f, "rps")).toFixed(2),
      `${med(f, "p50")}/${med(f, "p99")}`,
      `${med(p, "p50")}/${med(p, "p99")}`,
      `${(med(p, "p50") - med(f, "p50")).toFixed(1)} / ${(med(p, "p99") - med(f, "p99")).toFixed(1)}`,
      `${med(f, "cpuPerRequest").toFixed(2)} / ${med(p, "cpuPerRequest").toFixed(2)} (${(med(p, "cpuPerRequest") / med(f, "cpuPerRequest")).toFixed(2)}) / ${med(n, "cpuPerRequest").toFixed(2)}`,
      [...d, ...f, ...p, ...n].reduce((sum, r) => sum + r.errors, 0),
    ];
    process.stdout.write(`${row.join(" | ")}\n`);
  }

  // Where the portal's time goes: the Server-Timing of a sample of answers, one at a time (no queueing in the figures),
  // beside the round trip the client saw; their difference is Next's routing and the sockets, outside the handler.
  const SAMPLE = 200;
  const samples: Record<string, number>[] = [];
  for (let i = 0; i < SAMPLE; i++) {
    const started = performance.now();
    const res = await fetch(through.url, { headers: { ...through.headers, "accept-encoding": "identity" } });
    await res.arrayBuffer();
    samples.push({ ...parseServerTiming(res.headers.get("server-timing")), "round trip": performance.now() - started });
  }
  const stages = [...STAGES, "total", "round trip"].filter((s) => samples.some((t) => t[s] !== undefined));
  process.stdout.write(`\nportal Server-Timing, median of ${SAMPLE} sequential answers (ms): `);
  process.stdout.write(`${stages.map((s) => `${s} ${median(samples.map((t) => t[s] ?? 0)).toFixed(2)}`).join(", ")}\n`);

  process.stdout.write(`${describeJs(customersPageJs())}\n`);
});
