// The build's static assets sent precompressed (scripts/static-assets.mjs) against Next compressing them on each
// request, side by side in one run, on the largest script of /customers (React's DOM chunk): requests/s, latency,
// the server's CPU per answer and the bytes sent. Two servers on the same build: the portal (`npm start`), and
// scripts/server.mjs started while `.next/precompressed` is moved aside, so its index is empty and Next gzips each
// answer as before; the runs alternate between them.
//   npx tsx bench/static-assets.ts [--seconds 5] [--runs 3] [--connections 8] [--port 3430] [--sandbox-port 3431]
// The server without the precompressed files listens on --port + 2.
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { cpuMs, freshDataDir, median, root, runBench, type Service, serverPid, startNode, startPortal, startSandbox, waitFor } from "./harness";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    connections: { type: "string", default: "8" },
    port: { type: "string", default: "3430" },
    "sandbox-port": { type: "string", default: "3431" },
  },
});

const WAYS = [
  { name: "brotli 11, precompressed", encoding: "br", server: "portal" },
  { name: "gzip 9, precompressed", encoding: "gzip", server: "portal" },
  { name: "gzip by Next per request", encoding: "gzip", server: "next" },
] as const;

type Figures = { rps: number; p50: number; p99: number; cpu: number; bytes: number };

runBench(async () => {
  await startSandbox({ port: Number(values["sandbox-port"]) });
  const portal = await startPortal({ port: Number(values.port), sandboxPort: Number(values["sandbox-port"]), cacheTtlMs: 0, ratePerMin: 100_000 });
  const nextPort = Number(values.port) + 2;
  const dist = join(root, ".next");
  renameSync(join(dist, "precompressed"), join(dist, "precompressed-aside"));
  let nextOnly: Service;
  try {
    const child = startNode(["scripts/server.mjs"], {
      PORT: String(nextPort),
      SANDBOX_PORT: values["sandbox-port"],
      PORTAL_DATA_DIR: freshDataDir("bench-static-"),
      NEXTAUTH_URL: `http://127.0.0.1:${nextPort}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    });
    nextOnly = { url: `http://127.0.0.1:${nextPort}`, child };
    await waitFor(`${nextOnly.url}/api/health`, 120_000, child);
  } finally {
    renameSync(join(dist, "precompressed-aside"), join(dist, "precompressed"));
  }
  const servers = { portal: { url: portal.url, pid: serverPid(portal.child.pid ?? 0) }, next: { url: nextOnly.url, pid: nextOnly.child.pid ?? 0 } };
  const manifest = JSON.parse(readFileSync(join(dist, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const file = [...manifest.rootMainFiles].sort((a, b) => statSync(join(dist, b)).size - statSync(join(dist, a)).size)[0];
  if (!file) throw new Error("no shared chunks in the build manifest");
  process.stdout.write(
    `/_next/${file} (${(statSync(join(dist, file)).size / 1024).toFixed(1)} kB), ${values.connections} connections, ${values.seconds} s each\n`,
  );

  const runs = new Map<string, Figures[]>(WAYS.map((w) => [w.name, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const way of WAYS) {
      const { url: base, pid } = servers[way.server];
      const url = `${base}/_next/${file}`;
      const answer = await fetch(url, { headers: { "accept-encoding": way.encoding } });
      const sent = answer.headers.get("content-encoding");
      // Next streams its gzip (no Content-Length); the precompressed answers carry theirs.
      const streamed = answer.headers.get("content-length") === null;
      if (sent !== way.encoding || streamed !== (way.server === "next")) throw new Error(`${way.name}: got ${sent ?? "identity"}, streamed ${streamed}`);
      await answer.arrayBuffer();
      const before = cpuMs(pid);
      const r = await autocannon({
        url,
        connections: Number(values.connections),
        duration: Number(values.seconds),
        headers: { "accept-encoding": way.encoding },
      });
      if (r.non2xx + r.errors + r.timeouts > 0) throw new Error(`${way.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      const total = Math.max(1, r.requests.total);
      runs
        .get(way.name)
        ?.push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu: (cpuMs(pid) - before) / total, bytes: r.throughput.total / total });
    }
  }

  const med = (name: string, key: keyof Figures) => median((runs.get(name) ?? []).map((f) => f[key]));
  const baseline = WAYS[2].name;
  process.stdout.write(`\nmedians of ${values.runs} runs | req/s | p50 ms | p99 ms | server CPU ms per answer | kB per answer | req/s vs Next\n`);
  for (const way of WAYS) {
    const row = [med(way.name, "rps").toFixed(0), med(way.name, "p50").toFixed(1), med(way.name, "p99").toFixed(1), med(way.name, "cpu").toFixed(2)];
    row.push((med(way.name, "bytes") / 1024).toFixed(1), (med(way.name, "rps") / med(baseline, "rps")).toFixed(2));
    process.stdout.write(`${way.name} | ${row.join(" | ")}\n`);
  }
});
