// Cost as work grows (issue 7): p50 and p99 of the portal's customer routes with the sandbox at several
// sizes, then the portal server's memory (RSS) through minutes of steady load, so a leak shows as growth.
//   npm run bench:cost -- [--sizes 5000,100000,1000000] [--seconds 5] [--runs 3] [--concurrency 8]
//                         [--minutes 10] [--sample-seconds 5] [--port 3520] [--sandbox-port 4520]
// Per size: a fresh sandbox with that many customers (rate limit off) and a fresh portal (cache off, budget
// 100,000/min, audit on, signed in as the demo agent). Each query runs --seconds at --concurrency clients,
// --runs times in turn with the others (each run starting one query later); figures are medians of the
// runs. "mixed" cycles through all of them.
// Memory: the last size's portal under the mixed load with varied parameters for --minutes; VmRSS and
// VmHWM of its `next-server` process (the child of scripts/start.mjs) read from /proc every --sample-seconds.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { SKIP_MAX } from "../lib/contract/query";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "../sandbox/defaults";
import { createRandom } from "../sandbox/prng";
import { median, runBench, say, serverPid, signIn, startPortal, startSandbox, stop, table, type Service } from "./harness";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "5000,100000,1000000" },
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    concurrency: { type: "string", default: "8" },
    minutes: { type: "string", default: "10" },
    "sample-seconds": { type: "string", default: "5" },
    port: { type: "string", default: "3520" },
    "sandbox-port": { type: "string", default: "4520" },
  },
});
const SIZES = values.sizes.split(",").map(Number);
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);
const MINUTES = Number(values.minutes);
const SAMPLE_MS = Number(values["sample-seconds"]) * 1000;
const PORT = Number(values.port);
const SANDBOX_PORT = Number(values["sandbox-port"]);
const TAKE = 25;
const upstreamHeaders = { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET };

// ---------------------------------------------------------------------------------------- the process

type Memory = { rssKb: number; hwmKb: number };

function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
}

const mb = (kb: number) => (kb / 1024).toFixed(0);

// ------------------------------------------------------------------------------------------ the queries

type Query = { label: string; path: string };

async function deepCustomer(sandbox: string, size: number): Promise<string> {
  const skip = Math.min(size - 1, SKIP_MAX);
  const res = await fetch(`${sandbox}/api/v0/customers?take=1&skip=${skip}`, { headers: upstreamHeaders });
  const [row] = (await res.json()) as { id: string }[];
  if (!row) throw new Error(`no customer at skip ${skip}`);
  return row.id;
}

function queriesFor(size: number, id: string): Query[] {
  const deep = Math.min(SKIP_MAX, size - TAKE);
  return [
    { label: "first page", path: `/api/customers?take=${TAKE}&skip=0` },
    { label: "deep skip", path: `/api/customers?take=${TAKE}&skip=${deep}` },
    { label: "name filter", path: `/api/customers?take=${TAKE}&skip=0&name=son` },
    { label: "name, no match (full scan)", path: `/api/customers?take=${TAKE}&skip=0&name=zzqx` },
    { label: "email filter", path: `/api/customers?take=${TAKE}&skip=0&email=%40gmail.com` },
    { label: "status filter", path: `/api/customers?take=${TAKE}&skip=0&status=BLACKLISTED` },
    { label: "customer by id", path: `/api/customers/${id}` },
  ];
}

type Figures = { rps: number; p50: number; p99: number; requests: number; errors: number };

async function load(portal: string, cookie: string, requests: autocannon.Request[], seconds: number, onResponse?: () => void): Promise<Figures> {
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: portal, connections: CONCURRENCY, duration: seconds, headers: { cookie }, requests }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    if (onResponse) instance.on("response", onResponse);
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, errors: r.non2xx + r.errors + r.timeouts };
}

// --------------------------------------------------------------------------------------------- the runs

type SizeResult = { size: number; sandboxStartS: number; rows: (string | number)[][]; errors: number; memory: { before: Memory; after: Memory } };

async function measureSize(size: number): Promise<{ result: SizeResult; sandbox: Service; portal: Service; cookie: string; queries: Query[] }> {
  const began = performance.now();
  const sandbox = await startSandbox({ port: SANDBOX_PORT, customers: size, rateLimit: 0 });
  const sandboxStartS = (performance.now() - began) / 1000;
  const portal = await startPortal({ port: PORT, sandboxPort: SANDBOX_PORT, cacheTtlMs: 0, ratePerMin: 100_000 });
  const cookie = await signIn(portal.url, "agent@demo.local");
  const queries = queriesFor(size, await deepCustomer(sandbox.url, size));
  const pid = serverPid(portal.child.pid!);
  const targets = [
    ...queries.map((q) => ({ label: q.label, requests: [{ path: q.path }] })),
    { label: "mixed (all of the above in turn)", requests: queries.map((q) => ({ path: q.path })) },
  ];
  for (const target of targets) await load(portal.url, cookie, target.requests, 2); // code loaded, connections warm
  const before = memory(pid);
  const runs = targets.map(() => [] as Figures[]);
  for (let run = 0; run < RUNS; run += 1) {
    // Each run starts one query later, so no query always comes last.
    for (const k of targets.keys()) {
      const i = (k + run) % targets.length;
      runs[i]!.push(await load(portal.url, cookie, targets[i]!.requests, SECONDS));
    }
  }
  const rows = targets.map((target, i) => {
    const figures = runs[i]!;
    const med = (k: keyof Figures) => median(figures.map((f) => f[k]));
    return [target.label, med("p50"), med("p99"), med("rps").toFixed(0), figures.reduce((n, f) => n + f.errors, 0)];
  });
  const errors = runs.flat().reduce((n, f) => n + f.errors, 0);
  return { result: { size, sandboxStartS, rows, errors, memory: { before, after: memory(pid) } }, sandbox, portal, cookie, queries };
}

/** Mixed load with varied parameters (pages, names, statuses, ids) so nothing stays the same for minutes. */
function variedRequests(queries: Query[], ids: string[]): autocannon.Request[] {
  const random = createRandom(7);
  const names = ["son", "mar", "an", "el", "lee", "kim", "ber", "ia", "zzqx", "ova", "ez", "li"];
  const statuses = ["ACTIVE", "BLACKLISTED", "DEACTIVATED"];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const vary = (make: () => string) => ({ setupRequest: (req: autocannon.Request) => ({ ...req, path: make() }) });
  return [
    vary(() => `/api/customers?take=${TAKE}&skip=${TAKE * Math.floor(random() * (SKIP_MAX / TAKE))}`),
    vary(() => `/api/customers?take=${TAKE}&skip=0&name=${pick(names)}`),
    vary(() => `/api/customers?take=${pick([10, 25, 50])}&skip=0&status=${pick(statuses)}`),
    vary(() => `/api/customers/${pick(ids)}`),
    ...queries.map((q) => ({ path: q.path })),
  ];
}

async function memoryUnderLoad(sandbox: string, portal: Service, cookie: string, queries: Query[]): Promise<void> {
  const res = await fetch(`${sandbox}/api/v0/customers?take=100&skip=5000`, { headers: upstreamHeaders });
  const ids = ((await res.json()) as { id: string }[]).map((c) => c.id);
  const pid = serverPid(portal.child.pid!);
  const samples: { at: number; requests: number; memory: Memory }[] = [];
  let requests = 0;
  const began = performance.now();
  const sample = () => samples.push({ at: (performance.now() - began) / 1000, requests, memory: memory(pid) });
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  let figures: Figures;
  try {
    figures = await load(portal.url, cookie, variedRequests(queries, ids), MINUTES * 60, () => (requests += 1));
  } finally {
    clearInterval(timer);
  }
  sample();
  const end = samples[samples.length - 1]!;
  await new Promise((r) => setTimeout(r, 30_000));
  const idle = memory(pid);

  say(
    `\nPortal server memory under ${MINUTES} min of mixed load (${CONCURRENCY} clients, varied pages/names/statuses/ids, cache off), pid ${pid}, sampled every ${SAMPLE_MS / 1000} s`,
  );
  const rows: (string | number)[][] = [["start (before load)", "0", mb(samples[0]!.memory.rssKb), mb(samples[0]!.memory.hwmKb), 0, "-"]];
  let previous = samples[0]!;
  for (let minute = 1; minute <= MINUTES; minute += 1) {
    const s = samples.find((x) => x.at >= minute * 60) ?? end;
    const rate = ((s.requests - previous.requests) / (s.at - previous.at)).toFixed(0);
    rows.push([
      minute === MINUTES ? `minute ${minute} (end of load)` : `minute ${minute}`,
      s.at.toFixed(0),
      mb(s.memory.rssKb),
      mb(s.memory.hwmKb),
      s.requests,
      rate,
    ]);
    previous = s;
  }
  rows.push(["30 s after the load", (end.at + 30).toFixed(0), mb(idle.rssKb), mb(idle.hwmKb), end.requests, "-"]);
  say(table(["", "at s", "RSS MB", "peak (VmHWM) MB", "requests so far", "req/s that minute"], rows));
  const rss = samples.map((s) => s.memory.rssKb);
  const firstMinute = samples.filter((s) => s.at >= 60);
  const slope =
    firstMinute.length > 1
      ? (firstMinute[firstMinute.length - 1]!.memory.rssKb - firstMinute[0]!.memory.rssKb) /
        1024 /
        ((firstMinute[firstMinute.length - 1]!.at - firstMinute[0]!.at) / 60)
      : Number.NaN;
  say(
    `samples ${samples.length}; RSS min ${mb(Math.min(...rss))} / max ${mb(Math.max(...rss))} MB; change from minute 1 to the end ${slope.toFixed(1)} MB/min; peak RSS (VmHWM) ${mb(idle.hwmKb)} MB`,
  );
  say(`load: ${figures.requests} requests, ${figures.rps.toFixed(0)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, errors ${figures.errors}`);
  if (figures.errors > 0) throw new Error(`${figures.errors} failed requests during the memory run`);
}

runBench(async () => {
  say(
    `GET through the portal, ${CONCURRENCY} clients, ${SECONDS} s per measurement, median of ${RUNS} runs taken in turn; take=${TAKE}; cache off, budget 100,000/min, sandbox rate limit off`,
  );
  let failed = 0;
  for (const [i, size] of SIZES.entries()) {
    const { result, sandbox, portal, cookie, queries } = await measureSize(size);
    failed += result.errors;
    say(
      `\n${size.toLocaleString("en-US")} customers (sandbox up in ${result.sandboxStartS.toFixed(1)} s); portal server RSS ${mb(result.memory.before.rssKb)} MB before, ${mb(result.memory.after.rssKb)} MB after, peak ${mb(result.memory.after.hwmKb)} MB`,
    );
    say(table(["query", "p50 ms", "p99 ms", "req/s", "errors"], result.rows));
    say(
      queries
        .map(
          (q) => `  ${q.label}: ${q.path.replace(/\/api\/customers\/[0-9a-f-]{36}$/, "/api/customers/<id at position " + Math.min(size - 1, SKIP_MAX) + ">")}`,
        )
        .join("\n"),
    );
    if (i === SIZES.length - 1 && MINUTES > 0) await memoryUnderLoad(sandbox.url, portal, cookie, queries);
    await stop(portal.child);
    await stop(sandbox.child);
  }
  if (failed > 0) throw new Error(`${failed} failed requests`);
});
