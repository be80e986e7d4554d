// The build's static assets sent precompressed (scripts/static-assets.mjs) against Next compressing them on each
// request, side by side in one run, on the largest script of /customers (React's DOM chunk): requests/s, latency,
// the server's CPU per answer and the bytes sent. Next is reached with `Accept-Encoding: deflate`, which the
// precompressed files do not cover, so it compresses as it did for gzip before (same zlib, same level).
//   npx tsx bench/static-assets.ts [--seconds 5] [--runs 3] [--connections 8] [--port 3430] [--sandbox-port 3431]
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { cpuMs, median, root, runBench, serverPid, startPortal, startSandbox } from "./harness";

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
  { name: "brotli 11, precompressed", encoding: "br" },
  { name: "gzip 9, precompressed", encoding: "gzip" },
  { name: "deflate, by Next per request", encoding: "deflate" },
] as const;

type Figures = { rps: number; p50: number; p99: number; cpu: number; bytes: number };

runBench(async () => {
  await startSandbox({ port: Number(values["sandbox-port"]) });
  const portal = await startPortal({ port: Number(values.port), sandboxPort: Number(values["sandbox-port"]), cacheTtlMs: 0, ratePerMin: 100_000 });
  const pid = serverPid(portal.child.pid ?? 0);
  const manifest = JSON.parse(readFileSync(join(root, ".next", "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const file = [...manifest.rootMainFiles].sort((a, b) => statSync(join(root, ".next", b)).size - statSync(join(root, ".next", a)).size)[0];
  if (!file) throw new Error("no shared chunks in the build manifest");
  const url = `${portal.url}/_next/${file}`;
  process.stdout.write(
    `${url} (${(statSync(join(root, ".next", file)).size / 1024).toFixed(1)} kB), ${values.connections} connections, ${values.seconds} s each\n`,
  );

  const runs = new Map<string, Figures[]>(WAYS.map((w) => [w.name, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const way of WAYS) {
      const answer = await fetch(url, { headers: { "accept-encoding": way.encoding } });
      const sent = answer.headers.get("content-encoding");
      if (sent !== way.encoding) throw new Error(`asked for ${way.encoding}, got ${sent ?? "identity"}`);
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
  const next = WAYS[2].name;
  process.stdout.write(`\nmedians of ${values.runs} runs | req/s | p50 ms | p99 ms | server CPU ms per answer | kB per answer | req/s vs Next\n`);
  for (const way of WAYS) {
    const row = [med(way.name, "rps").toFixed(0), med(way.name, "p50").toFixed(1), med(way.name, "p99").toFixed(1), med(way.name, "cpu").toFixed(2)];
    row.push((med(way.name, "bytes") / 1024).toFixed(1), (med(way.name, "rps") / med(next, "rps")).toFixed(2));
    process.stdout.write(`${way.name} | ${row.join(" | ")}\n`);
  }
});
