// `/api/customers` through the portal (signed in, cache off, audit on) against a minimal Next app that only
// attaches the keys and forwards (bench/forward), and the sandbox answering directly: side by side in one
// run, requests/s and latency at several concurrencies.
//   npx tsx bench/api.ts [--seconds 5] [--runs 3]
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "../sandbox/defaults";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "5" }, runs: { type: "string", default: "3" } } });
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const CONCURRENCY = [1, 8, 32, 128];
const QUERY = "take=25&status=ACTIVE";
const SANDBOX_PORT = "4410";
const PORTAL_PORT = "3400";
const FORWARD_PORT = "3401";
const NEXT = "node_modules/next/dist/bin/next";
const forward = `http://127.0.0.1:${FORWARD_PORT}`;
const portal = `http://127.0.0.1:${PORTAL_PORT}`;
const sandbox = `http://127.0.0.1:${SANDBOX_PORT}`;
const children: ChildProcess[] = [];

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
}

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function signIn(email: string): Promise<string> {
  const csrfRes = await fetch(`${portal}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${portal}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrfRes) },
    body: new URLSearchParams({ csrfToken, email, password: "demo", json: "true" }),
  });
  const session = cookiesOf(res);
  if (!session.includes("session-token")) throw new Error("sign-in failed");
  return session;
}

type Figures = { rps: number; p50: number; p99: number; errors: number };

async function load(url: string, connections: number, headers: Record<string, string>): Promise<Figures> {
  const r = await autocannon({ url, connections, duration: SECONDS, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors + r.timeouts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const med = (runs: Figures[], k: keyof Figures) => median(runs.map((r) => r[k]));

try {
  start(["--import", "tsx", "sandbox/main.ts"], { SANDBOX_PORT, SANDBOX_RATE_LIMIT: "0" });
  start(["scripts/start.mjs"], {
    PORT: PORTAL_PORT, SANDBOX_PORT, PORTAL_SPAWN_SANDBOX: "0", PORTAL_DATA_DIR: mkdtempSync(join(tmpdir(), "bench-api-")),
    NEXTAUTH_URL: portal, DEVDRAFT_CACHE_TTL_MS: "0", DEVDRAFT_RATE_LIMIT_PER_MIN: "100000", LOG_LEVEL: "warn",
  });
  if (!existsSync("bench/forward/.next/BUILD_ID")) spawnSync(process.execPath, [NEXT, "build", "bench/forward"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  start([NEXT, "start", "bench/forward", "-p", FORWARD_PORT], {
    FORWARD_UPSTREAM: sandbox, FORWARD_CLIENT_KEY: DEFAULT_SANDBOX_CLIENT_KEY, FORWARD_CLIENT_SECRET: DEFAULT_SANDBOX_CLIENT_SECRET, NEXT_TELEMETRY_DISABLED: "1",
  });
  await waitFor(`${sandbox}/__sandbox/health`, 60_000);
  await waitFor(`${portal}/api/health`, 600_000);
  await waitFor(`${forward}/api/customers?take=1`, 60_000);
  const cookie = await signIn("agent@demo.local");
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
} finally {
  for (const child of children) child.kill("SIGTERM");
}
