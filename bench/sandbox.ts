import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { percentile } from "./harness";

const root = fileURLToPath(new URL("..", import.meta.url));
const KEY = "bench-key";
const SECRET = "bench-secret";
const QUERIES: ReadonlyArray<readonly [string, string]> = [
  ["name substring", "name=son&take=25"],
  ["email substring", "email=@gmail.com&take=50"],
  ["status + name", "status=DEACTIVATED&name=mar&take=25"],
  ["deep skip", "skip=9900&take=100"],
  ["rare name (full scan)", "name=zzqx&take=25"],
  ["rare email (full scan)", "email=zzqx&take=25"],
];

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function start(customers: number): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const child = spawn(`${root}node_modules/.bin/tsx`, ["sandbox/main.ts"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      SANDBOX_PORT: String(port),
      SANDBOX_CUSTOMERS: String(customers),
      SANDBOX_RATE_LIMIT: "0",
      SANDBOX_CLIENT_KEY: KEY,
      SANDBOX_CLIENT_SECRET: SECRET,
    },
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sandbox exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/__sandbox/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url, ms: performance.now() - began };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function latency(url: string, query: string, runs: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const began = performance.now();
    const response = await fetch(`${url}/api/v0/customers?${query}`, { headers: { "x-client-key": KEY, "x-client-secret": SECRET } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${query}: HTTP ${response.status}`);
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function bench(customers: number): Promise<void> {
  const startups: number[] = [];
  let last: { child: ChildProcess; url: string } | null = null;
  for (let i = 0; i < 3; i += 1) {
    if (last) await stop(last.child);
    const started = await start(customers);
    startups.push(started.ms);
    last = started;
  }
  if (!last) return;
  startups.sort((a, b) => a - b);
  write(
    `\n${customers.toLocaleString("en-US")} customers: start-up to health OK, median of 3: ${(percentile(startups, 50) / 1000).toFixed(2)} s (runs: ${startups.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s)`,
  );
  write(`${"query".padEnd(24)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}  request`);
  for (const [label, query] of QUERIES) {
    await latency(last.url, query, 5);
    const { p50, p95 } = await latency(last.url, query, 50);
    write(`${label.padEnd(24)}${p50.toFixed(1).padStart(9)}${p95.toFixed(1).padStart(9)}  ?${query}`);
  }
  await stop(last.child);
}

async function main(): Promise<void> {
  write(`sandbox benchmark, ${new Date().toISOString()}, node ${process.version}`);
  await bench(1_000_000);
  await bench(5_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
