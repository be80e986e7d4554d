// Where the portal's CPU goes on the one-client path: the portal runs under a CPU profiler (bench/cpu-profile.cjs), one client sends
// `GET /api/customers` (signed in, cache off, every answer audited) for a while, the portal stops, and the
// profile's heaviest functions (self time) and files (self time summed) are printed. The .cpuprofile stays in
// --out for Chrome DevTools.
//   npx tsx bench/profile.ts [--seconds 10] [--connections 1] [--port 3400] [--sandbox-port 4410] [--out .data/profile]
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { root, runBench, say, signIn, startPortal, startSandbox, stopAll, table } from "./harness";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "1" },
    port: { type: "string", default: "3400" },
    "sandbox-port": { type: "string", default: "4410" },
    out: { type: "string", default: ".data/profile" },
  },
});

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

/** Self time per key, ms, from a profile's samples. */
function selfTimes(profile: Profile, key: (n: Node) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const k = key(node);
    out.set(k, (out.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(root, "")
    .replace(/.*\/node_modules\//, "~/");

function top(times: Map<string, number>, total: number, n: number): string[][] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => [k, ms.toFixed(0), ((100 * ms) / total).toFixed(1)]);
}

runBench(async () => {
  const out = resolve(root, values.out);
  mkdirSync(out, { recursive: true });
  const before = new Set(readdirSync(out));
  const { url: sandbox } = await startSandbox({ port: Number(values["sandbox-port"]) });
  void sandbox;
  const { url: portal } = await startPortal({
    port: Number(values.port),
    sandboxPort: Number(values["sandbox-port"]),
    cacheTtlMs: 0,
    ratePerMin: 100_000,
    env: { LOG_LEVEL: "warn", NODE_OPTIONS: `--require ${join(root, "bench/cpu-profile.cjs")}`, CPU_PROFILE_DIR: out },
  });
  const cookie = await signIn(portal, "agent@demo.local");
  const url = `${portal}/api/customers?take=25&status=ACTIVE`;
  await autocannon({ url, connections: 1, duration: 2, headers: { cookie } });
  const r = await autocannon({ url, connections: Number(values.connections), duration: Number(values.seconds), headers: { cookie } });
  say(`${r.requests.total} requests, ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.non2xx + r.errors}`);
  await stopAll();

  // The Next server's profile is the busiest one written (scripts/start.mjs and its helpers barely run).
  const written = readdirSync(out).filter((f) => f.endsWith(".cpuprofile") && !before.has(f));
  const busy = (p: Profile) => {
    const times = selfTimes(p, (n) => n.callFrame.functionName);
    return (times.get("all") ?? [...times.values()].reduce((a, b) => a + b, 0)) - (times.get("(idle)") ?? 0);
  };
  const profiles = written.map((f) => ({ f, p: JSON.parse(readFileSync(join(out, f), "utf8")) as Profile }));
  const server = profiles.sort((a, b) => busy(b.p) - busy(a.p))[0];
  if (!server) throw new Error(`no profile written to ${out}`);
  const all = selfTimes(server.p, () => "all");
  const total = all.get("all") ?? 1;
  const idle = selfTimes(server.p, (n) => n.callFrame.functionName).get("(idle)") ?? 0;
  say(
    `\n${join(values.out, server.f)}: ${total.toFixed(0)} ms sampled, ${(total - idle).toFixed(0)} ms busy, ${((total - idle) / r.requests.total).toFixed(2)} ms CPU per request`,
  );
  say("\nfunctions by self time:");
  say(
    table(
      ["function", "ms", "%"],
      top(
        selfTimes(server.p, (n) => `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`),
        total,
        30,
      ),
    ),
  );
  say("\nfiles and packages by self time:");
  const fileOf = (n: Node) => {
    const u = shortUrl(n.callFrame.url);
    const pkg = /^~\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    return pkg ? `~/${pkg[1]}` : u || n.callFrame.functionName;
  };
  say(table(["file", "ms", "%"], top(selfTimes(server.p, fileOf), total, 25)));
});
