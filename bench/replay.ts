// Many staff browsing the customer list at once (issue 7), replayed as their browsers would ask the portal,
// with the portal's cache on (its default TTL) and off, side by side in one run: upstream calls per 100
// page views, the share of answers served without an upstream call, page-view latency, 429s.
//   npm run bench:replay -- [--staff 30] [--seconds 35] [--seed 7] [--accounts 8] [--budget N] [--ttl MS]
//                           [--customers 5000] [--port 3510] [--sandbox-port 4510] [--json FILE (every request and view)]
//                           [--only on|off (one column: the cache on, or off)]
// --budget sets both the portal's upstream budget and the sandbox's per-key limit (default: the portal's
// own default, Devdraft's published 100/min); --ttl the cache-on TTL (default: the portal's own default).
//
// What one page view asks, following components/customers/customers-view.tsx and lib/customers/use-customers.ts:
// - a full load of /customers?… renders page 1 on the server (one lookup, which also says whether a next page
//   exists: the server asks Devdraft for one row more than the page); nothing is fetched ahead (issue 12);
// - a filter, status, page or page-size change is a history push/replace: SWR asks /api/customers for the
//   view (it revalidates on mount; the same key within SWR's 2 s dedupe shares one request), drawing at
//   once rows it already holds; the answer's x-has-more header says whether Next is usable;
// - typing in Name commits after the filter's debounce of quiet: only prefixes followed by a pause are sent;
// - opening a row loads /customers/[id] (server-rendered: one lookup plus its recent access);
// - Back shows the list from the router's cache: SWR revalidates the view unless it is the server-rendered one.
// A page view answered 429 counts as failed and the person carries on (the countdown retry is not replayed).
// The script of every staff member is fixed by --seed; only what the answers hold (rows to open, whether
// Next is enabled) is read at run time. Staff arrive over the first half of --seconds, each beginning tasks for
// --seconds after arriving; a task begun is finished, so a column takes longer than --seconds.
import { spawn } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_TAKE, SKIP_MAX, toSearchParams, viewHref, type CustomersQuery, type CustomerStatus } from "../lib/contract/query";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "../sandbox/defaults";
import { createRandom, type Random } from "../sandbox/prng";
import {
  filterDebounceMs,
  freshDataDir,
  percentile,
  resetSandbox,
  root,
  runBench,
  sandboxStats,
  say,
  signIn,
  startPortal,
  startSandbox,
  stop,
  table,
  type SandboxStats,
} from "./harness";
import { rerunUnderReactServer } from "./react-server";

rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({
  options: {
    staff: { type: "string", default: "30" },
    seconds: { type: "string", default: "35" },
    seed: { type: "string", default: "7" },
    accounts: { type: "string", default: "8" },
    budget: { type: "string" },
    ttl: { type: "string" },
    customers: { type: "string", default: "5000" },
    port: { type: "string", default: "3510" },
    "sandbox-port": { type: "string", default: "4510" },
    json: { type: "string" },
    only: { type: "string" },
  },
});
const STAFF = Number(values.staff);
const SECONDS = Number(values.seconds);
const SEED = Number(values.seed);
const PORT = Number(values.port);
const SANDBOX_PORT = Number(values["sandbox-port"]);
const DEBOUNCE_MS = filterDebounceMs();
const SWR_DEDUPE_MS = 2_000; // SWR's default dedupingInterval; use-customers.ts does not change it
const PASSWORD = "bench-replay-password";

// ------------------------------------------------------------------------------------------- the script

type Change = { take?: number; skip?: number; status?: CustomerStatus | null; name?: string | null; email?: string | null };
type Step =
  | { do: "load"; think: number } // full load of the current view: the landing after sign-in, or F5
  | { do: "go"; change: Change; think: number } // a filter, status, page size or Clear filters
  | { do: "next"; think: number } // the pager's Next, when usable (the server did not say this is the last page)
  | { do: "type"; commits: { value: string; at: number }[]; think: number } // Name, letter by letter
  | { do: "open"; row?: number; id?: string; think: number } // a row of the table, or the customer looked for
  | { do: "back"; think: number };
type Target = { id: string; first: string; last: string; email: string | null };

const between = (r: Random, lo: number, hi: number) => Math.round(lo + r() * (hi - lo));
const pickWeighted = <T>(r: Random, items: readonly (readonly [T, number])[]): T => {
  let x = r() * items.reduce((n, [, w]) => n + w, 0);
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[items.length - 1]![0];
};

/** Some customers are looked for by several people (they called in); most by one: Zipf over the pool. */
function pickTarget(r: Random, pool: readonly Target[]): Target {
  const weights = pool.map((t, i) => [t, 1 / (i + 1)] as const);
  return pickWeighted(r, weights);
}

/** Keystrokes 90–280 ms apart, now and then a pause; a prefix is sent when a pause outlasts the debounce. */
function typing(r: Random, text: string): { commits: { value: string; at: number }[]; ends: number } {
  const commits: { value: string; at: number }[] = [];
  let at = 0;
  for (let i = 1; i <= text.length; i += 1) {
    const gap = i === text.length ? Infinity : r() < 0.12 ? between(r, 350, 1200) : between(r, 90, 280);
    if (gap > DEBOUNCE_MS) commits.push({ value: text.slice(0, i), at: at + DEBOUNCE_MS });
    if (i < text.length) at += gap;
  }
  return { commits, ends: at + DEBOUNCE_MS };
}

function scriptFor(index: number, pool: readonly Target[]): { startAt: number; steps: Step[] } {
  const r = createRandom(SEED * 7919 + index);
  const take = pickWeighted(r, [
    [10, 70],
    [25, 20],
    [50, 10],
  ] as const);
  const steps: Step[] = [];
  let t = 0;
  const add = (step: Step, extra = 0) => {
    steps.push(step);
    t += step.think + extra;
  };
  const list = () => between(r, 2_500, 7_000);
  const read = () => between(r, 4_000, 12_000);
  add({ do: "load", think: between(r, 2_000, 5_000) });
  if (take !== DEFAULT_TAKE) add({ do: "go", change: { take, skip: 0 }, think: list() });
  while (t < SECONDS * 1000) {
    const task = pickWeighted(r, [
      ["browse", 30],
      ["name", 35],
      ["status", 15],
      ["email", 10],
      ["reload", 10],
    ] as const);
    if (task === "browse") {
      add({ do: "go", change: { name: null, email: null, status: null, skip: 0 }, think: list() });
      for (
        let n = pickWeighted(r, [
          [1, 35],
          [2, 30],
          [3, 20],
          [4, 15],
        ] as const);
        n > 0;
        n -= 1
      )
        add({ do: "next", think: list() });
      if (r() < 0.6) {
        add({ do: "open", row: Math.floor(r() * take), think: read() });
        add({ do: "back", think: between(r, 1_000, 3_000) });
      }
    } else if (task === "name") {
      const target = pickTarget(r, pool);
      const text = (r() < 0.6 ? target.first : target.last).toLowerCase();
      const typed = typing(r, text.slice(0, Math.min(text.length, between(r, 3, 6))));
      add({ do: "type", commits: typed.commits, think: between(r, 1_500, 4_000) }, typed.ends);
      add({ do: "open", ...(r() < 0.85 ? { id: target.id } : { row: 0 }), think: read() });
      add({ do: "back", think: between(r, 1_000, 3_000) });
      if (r() < 0.4) add({ do: "go", change: { name: null, skip: 0 }, think: list() });
    } else if (task === "status") {
      const status = pickWeighted(r, [
        ["ACTIVE", 50],
        ["BLACKLISTED", 25],
        ["DEACTIVATED", 25],
      ] as const);
      add({ do: "go", change: { status, skip: 0 }, think: list() });
      for (
        let n = pickWeighted(r, [
          [0, 50],
          [1, 30],
          [2, 20],
        ] as const);
        n > 0;
        n -= 1
      )
        add({ do: "next", think: list() });
      if (r() < 0.6) {
        add({ do: "open", row: Math.floor(r() * take), think: read() });
        add({ do: "back", think: between(r, 1_000, 3_000) });
      }
      if (r() < 0.5) add({ do: "go", change: { status: null, skip: 0 }, think: list() });
    } else if (task === "email") {
      const target = pickTarget(
        r,
        pool.filter((c) => c.email),
      );
      add({ do: "go", change: { name: null, email: target.email, skip: 0 }, think: between(r, 1_500, 4_000) });
      add({ do: "open", id: target.id, think: read() });
      add({ do: "back", think: between(r, 1_000, 3_000) });
      add({ do: "go", change: { email: null, skip: 0 }, think: list() });
    } else {
      add({ do: "load", think: list() });
    }
    // Between tasks: a call, a note, another window.
    const last = steps[steps.length - 1]!;
    const idle = between(r, 5_000, 25_000);
    last.think += idle;
    t += idle;
  }
  // People arrive over the first half of the window rather than all at once.
  const ramp = (SECONDS * 1000) / 2;
  return { startAt: Math.round((index * ramp) / STAFF) + between(r, 0, 500), steps };
}

// ------------------------------------------------------------------------------------------ the browser

type RequestKind = "page: list" | "page: customer" | "api: list";
type Outcome = "ok" | "429" | "error";
/** `hasMore` as the browser reads it: the x-has-more header, or the server-rendered page's initial data. */
type Answer = { outcome: Outcome; ids: string[]; hasMore: boolean | null };
type Held = { ids: string[]; hasMore: boolean | null };
type Tally = {
  requests: { kind: RequestKind; at: number; ms: number; outcome: Outcome; status: number }[];
  views: { kind: "load" | "view" | "customer" | "back"; ms: number; ok: boolean; asked: boolean }[];
};

const UUID_LINK = /href="\/customers\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;
const keyOf = (q: CustomersQuery) => `/api/customers?${toSearchParams(q)}`;

function apply(query: CustomersQuery, change: Change): CustomersQuery {
  const next: CustomersQuery = { take: change.take ?? query.take, skip: change.skip ?? query.skip };
  for (const field of ["status", "name", "email"] as const) {
    const value = change[field] === undefined ? query[field] : change[field];
    if (value) Object.assign(next, { [field]: value });
  }
  return next;
}

const hasMoreOf = (value: string | undefined | null): boolean | null => (value === "true" ? true : value === "false" ? false : null);

/** How the portal answered, read as the browser would draw it: a server-rendered page carries its error state. */
function classify(kind: RequestKind, status: number, body: string, hasMoreHeader: string | null): Answer {
  const failed = (outcome: Outcome): Answer => ({ outcome, ids: [], hasMore: false });
  if (kind === "api: list") {
    if (status === 200) return { outcome: "ok", ids: (JSON.parse(body) as { id: string }[]).map((c) => c.id), hasMore: hasMoreOf(hasMoreHeader) };
    return failed(status === 429 ? "429" : "error");
  }
  if (status !== 200) return failed("error");
  if (kind === "page: list") {
    const error = /initialError\\":(null|\{\\"status\\":(\d+))/.exec(body);
    if (!error) return failed("error");
    if (error[1] !== "null") return failed(error[2] === "429" ? "429" : "error");
    const hasMore = /\\"hasMore\\":(true|false|null)/.exec(body)?.[1];
    return { outcome: "ok", ids: [...new Set([...body.matchAll(UUID_LINK)].map((m) => m[1]!))], hasMore: hasMoreOf(hasMore) };
  }
  const error = /id="detail-error"[^>]*>([^<]*)/.exec(body);
  if (!error) return { outcome: "ok", ids: [], hasMore: false };
  return failed(/slow down/i.test(error[1] ?? "") ? "429" : "error");
}

class Tab {
  query: CustomersQuery = { take: DEFAULT_TAKE, skip: 0 };
  rows: string[] = [];
  hasMore: boolean | null = false;
  private held = new Map<string, Held>(); // SWR's cache in this document: key → row ids and the next-page word
  private asked = new Map<string, { at: number; answer: Promise<Answer> }>();
  private serverKey = "";
  private onCustomer = false;
  readonly background: Promise<unknown>[] = [];

  constructor(
    private readonly portal: string,
    private readonly cookie: string,
    private readonly record: Tally,
  ) {}

  private async get(kind: RequestKind, path: string): Promise<Answer> {
    const began = performance.now();
    let status = 0;
    let body = "";
    let hasMore: string | null = null;
    try {
      const res = await fetch(`${this.portal}${path}`, { headers: { cookie: this.cookie }, redirect: "manual" });
      status = res.status;
      hasMore = res.headers.get("x-has-more");
      body = await res.text();
    } catch {
      status = 0;
    }
    const answer = classify(kind, status, body, hasMore);
    this.record.requests.push({ kind, at: began, ms: performance.now() - began, outcome: answer.outcome, status });
    return answer;
  }

  /** useSWR's fetch: one request per key within the dedupe interval, shared by everyone asking. */
  private swr(key: string): Promise<Answer> {
    const now = performance.now();
    const last = this.asked.get(key);
    if (last && now - last.at < SWR_DEDUPE_MS) return last.answer;
    const answer = this.get("api: list", key).then((a) => {
      if (a.outcome === "ok") this.held.set(key, { ids: a.ids, hasMore: a.hasMore });
      return a;
    });
    this.asked.set(key, { at: now, answer });
    return answer;
  }

  async load(): Promise<void> {
    this.held.clear();
    this.asked.clear();
    this.onCustomer = false;
    const began = performance.now();
    const answer = await this.get("page: list", viewHref(this.query));
    const ok = answer.outcome === "ok";
    this.serverKey = ok ? keyOf(this.query) : "";
    this.rows = answer.ids;
    this.hasMore = answer.hasMore;
    if (ok) this.held.set(this.serverKey, { ids: answer.ids, hasMore: answer.hasMore });
    this.record.views.push({ kind: "load", ms: performance.now() - began, ok, asked: true });
  }

  /** A view change through the History API; false when the URL would not change (nothing happens). */
  go(change: Change): Promise<void> | null {
    const next = apply(this.query, change);
    if (viewHref(next) === viewHref(this.query)) return null;
    this.query = next;
    return this.showList("view", false);
  }

  /** The pager's Next: usable unless the server said this is the last page (null, "more may exist", is usable). */
  next(): Promise<void> | null {
    const nextSkip = this.query.skip + this.query.take;
    return this.rows.length > 0 && this.hasMore !== false && nextSkip <= SKIP_MAX ? this.go({ skip: nextSkip }) : null;
  }

  private async showList(kind: "view" | "back", fromServer: boolean): Promise<void> {
    const key = keyOf(this.query);
    const began = performance.now();
    const held = this.held.get(key);
    let ok = true;
    let shown: Held = held ?? { ids: [], hasMore: false };
    if (!fromServer) {
      const asking = this.swr(key);
      if (held) this.background.push(asking);
      else {
        const answer = await asking;
        ok = answer.outcome === "ok";
        shown = this.held.get(key) ?? { ids: [], hasMore: false };
      }
    }
    if (keyOf(this.query) === key) {
      this.rows = shown.ids;
      this.hasMore = ok ? shown.hasMore : false;
    }
    this.record.views.push({ kind, ms: performance.now() - began, ok, asked: !held });
  }

  async open(step: { row?: number; id?: string }): Promise<void> {
    const id = step.id ?? this.rows[Math.min(step.row ?? 0, this.rows.length - 1)];
    if (!id) return;
    const here = viewHref(this.query);
    const began = performance.now();
    const answer = await this.get("page: customer", `/customers/${id}${here === "/customers" ? "" : `?from=${encodeURIComponent(here)}`}`);
    this.onCustomer = true;
    this.record.views.push({ kind: "customer", ms: performance.now() - began, ok: answer.outcome === "ok", asked: true });
  }

  async back(): Promise<void> {
    if (!this.onCustomer) return;
    this.onCustomer = false;
    await this.showList("back", keyOf(this.query) === this.serverKey);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function replay(tab: Tab, script: { startAt: number; steps: Step[] }, t0: number): Promise<void> {
  await sleep(t0 + script.startAt - performance.now());
  for (const [i, step] of script.steps.entries()) {
    switch (step.do) {
      case "load":
        await tab.load();
        break;
      case "go":
        await tab.go(step.change);
        break;
      case "next":
        await tab.next();
        break;
      case "type": {
        // Sent prefixes overlap: the next one leaves while the earlier answer may still be on its way.
        const began = performance.now();
        const sent: Promise<void>[] = [];
        for (const commit of step.commits) {
          await sleep(began + commit.at - performance.now());
          const view = tab.go({ name: commit.value, skip: 0 });
          if (view) sent.push(view);
        }
        await Promise.all(sent);
        break;
      }
      case "open":
        await tab.open(step);
        break;
      case "back":
        await tab.back();
        break;
    }
    if (i < script.steps.length - 1) await sleep(step.think);
  }
  await Promise.all(tab.background);
}

// -------------------------------------------------------------------------------------------- the runs

type Config = { label: string; ttlMs: number; budget: number };
type Result = { config: Config; record: Tally; upstream: SandboxStats; wallMs: number };

function npmStaff(dataDir: string, email: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "staff", "--", "add", "--email", email, "--role", "agent", "--name", email.split("@")[0]!], {
      cwd: root,
      env: { ...process.env, PORTAL_DATA_DIR: dataDir },
      stdio: ["pipe", "ignore", "inherit"],
    });
    // The password on stdin: the CLI refuses one on the command line.
    child.stdin?.end(`${PASSWORD}\n`);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm run staff add ${email} exited ${code}`))));
  });
}

/** A store holding the bench's staff, made with the staff CLI; each run starts from a copy. */
async function staffStore(count: number): Promise<{ dir: string; accounts: { email: string; password: string }[] }> {
  const dir = freshDataDir("bench-replay-staff-");
  const emails = Array.from({ length: count }, (_, i) => `replay-${String(i + 1).padStart(2, "0")}@bench.local`);
  if (emails[0]) await npmStaff(dir, emails[0]); // creates the store; the rest may then run side by side
  for (let i = 1; i < emails.length; i += 2) await Promise.all(emails.slice(i, i + 2).map((email) => npmStaff(dir, email)));
  const demo = ["agent@demo.local", "admin@demo.local"].map((email) => ({ email, password: "demo" }));
  return { dir, accounts: [...demo, ...emails.map((email) => ({ email, password: PASSWORD }))] };
}

async function targets(sandbox: string): Promise<Target[]> {
  const headers = { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET };
  const pool: Target[] = [];
  for (let skip = 0; skip < 400; skip += 100) {
    const res = await fetch(`${sandbox}/api/v0/customers?take=100&skip=${skip}`, { headers });
    const body = (await res.json()) as unknown;
    const rows = (Array.isArray(body) ? body : (body as { data: unknown[] }).data) as {
      id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
    }[];
    for (const c of rows) {
      const ascii = (s: string | null) => s !== null && /^[A-Za-z]{3,}$/.test(s);
      if (ascii(c.first_name) && ascii(c.last_name)) pool.push({ id: c.id, first: c.first_name!, last: c.last_name!, email: c.email });
    }
  }
  // The sandbox's filters and lookups warmed too, so the first column does not meet them cold.
  for (const query of ["name=an", "email=%40", "status=ACTIVE", "name=zzqx"])
    for (let i = 0; i < 20; i += 1) await fetch(`${sandbox}/api/v0/customers?take=25&${query}`, { headers });
  for (const c of pool.slice(0, 20)) await fetch(`${sandbox}/api/v0/customers/${c.id}`, { headers });
  // Who calls in has nothing to do with who signed up last: a fixed shuffle by the seed.
  const r = createRandom(SEED);
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = Math.floor(r() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool;
}

async function run(
  config: Config,
  sandbox: string,
  store: string,
  accounts: { email: string; password: string }[],
  scripts: { startAt: number; steps: Step[] }[],
): Promise<Result> {
  const dataDir = freshDataDir("bench-replay-");
  cpSync(store, dataDir, { recursive: true });
  const portal = await startPortal({ port: PORT, sandboxPort: SANDBOX_PORT, cacheTtlMs: config.ttlMs, ratePerMin: config.budget, dataDir });
  try {
    const cookies: string[] = [];
    for (let i = 0; i < STAFF; i += 1) {
      const account = accounts[i % accounts.length]!;
      cookies.push(await signIn(portal.url, account.email, account.password));
    }
    // First requests load each route's code. Only the list page spends a call of the portal's budget (on a
    // view the replay never shows); the API and the customer page are warmed by queries refused before it.
    const warm = new Tab(portal.url, cookies[0]!, { requests: [], views: [] });
    warm.query = { take: 100, skip: 9_000 };
    await warm.load();
    await warm.go({ take: 0 });
    await warm.open({ id: "not-a-customer-id" });
    await Promise.all(warm.background);
    await resetSandbox(sandbox);

    const record: Tally = { requests: [], views: [] };
    const t0 = performance.now();
    await Promise.all(scripts.map((script, i) => replay(new Tab(portal.url, cookies[i]!, record), script, t0)));
    const wallMs = performance.now() - t0;
    return { config, record, upstream: await sandboxStats(sandbox), wallMs };
  } finally {
    await stop(portal.child);
  }
}

function report(results: Result[]): boolean {
  const count = <T>(xs: readonly T[], p: (x: T) => boolean) => xs.filter(p).length;
  const ms = (xs: number[]) => (xs.length ? `${percentile(xs, 50).toFixed(0)} / ${percentile(xs, 99).toFixed(0)}` : "-");
  const rows: [string, ...string[]][] = [
    ["page views (load / list change / customer / back)"],
    ["portal requests (page list / page customer / api list)"],
    ["answers with customers (200, no error state)"],
    ["upstream calls (sandbox: by status)"],
    ["upstream calls per 100 page views"],
    ["upstream calls per minute of replay"],
    ["answers served without an upstream call"],
    ["page-view latency p50 / p99 ms (rows on screen)"],
    ["  views that waited for a request p50 / p99 ms"],
    ["request latency p50 / p99 ms: page list"],
    ["  page customer"],
    ["  api list"],
    ["answers 429 (page views failed by 429)"],
    ["other errors"],
    ["replay wall time s"],
  ];
  let clean = true;
  for (const { record, upstream, wallMs } of results) {
    const { views, requests } = record;
    const ok = count(requests, (q) => q.outcome === "ok");
    const upstreamOk = upstream.byStatus["200"] ?? 0;
    const errors = count(requests, (q) => q.outcome === "error");
    if (errors > 0) clean = false;
    const byKind = (kind: string) => requests.filter((q) => q.kind.startsWith(kind)).map((q) => q.ms);
    const values = [
      `${views.length} (${["load", "view", "customer", "back"].map((k) => count(views, (v) => v.kind === k)).join(" / ")})`,
      `${requests.length} (${(["page: list", "page: customer", "api: list"] as const).map((k) => count(requests, (q) => q.kind === k)).join(" / ")})`,
      String(ok),
      `${upstream.requests} (${
        Object.entries(upstream.byStatus)
          .map(([s, n]) => `${s}: ${n}`)
          .join(", ") || "none"
      })`,
      ((100 * upstream.requests) / views.length).toFixed(1),
      (upstream.requests / (wallMs / 60_000)).toFixed(0),
      `${((100 * (ok - upstreamOk)) / ok).toFixed(1)} %`,
      ms(views.map((v) => v.ms)),
      ms(views.filter((v) => v.asked).map((v) => v.ms)),
      ms(byKind("page: list")),
      ms(byKind("page: customer")),
      ms(byKind("api")),
      `${count(requests, (q) => q.outcome === "429")} (${count(views, (v) => !v.ok)})`,
      errors ? `${errors}: ${[...new Set(requests.filter((q) => q.outcome === "error").map((q) => `${q.kind} ${q.status}`))].join(", ")}` : "0",
      (wallMs / 1000).toFixed(1),
    ];
    values.forEach((value, i) => rows[i]!.push(value));
  }
  say(table(["", ...results.map((r) => r.config.label)], rows));
  return clean;
}

runBench(async () => {
  const { readDevdraftConfig } = await import("../lib/devdraft/config");
  const defaults = readDevdraftConfig({});
  const budget = values.budget === undefined ? defaults.ratePerMin : Number(values.budget);
  const ttlMs = values.ttl === undefined ? defaults.cacheTtlMs : Number(values.ttl);
  const sandbox = await startSandbox({ port: SANDBOX_PORT, customers: Number(values.customers), rateLimit: budget });
  const [store, pool] = await Promise.all([staffStore(Number(values.accounts)), targets(sandbox.url)]);
  await resetSandbox(sandbox.url); // those direct requests spent the sandbox's minute for the portal's key
  const scripts = Array.from({ length: STAFF }, (_, i) => scriptFor(i, pool));
  const configs: Config[] = [
    { label: `cache on (TTL ${ttlMs / 1000} s)`, ttlMs, budget },
    { label: "cache off (TTL 0)", ttlMs: 0, budget },
  ].filter((c) => values.only === undefined || (values.only === "off") === (c.ttlMs === 0));
  const results: Result[] = [];
  for (const config of configs) results.push(await run(config, sandbox.url, store.dir, store.accounts, scripts));

  say();
  say(
    `Replay: ${STAFF} staff (sessions over ${store.accounts.length} accounts: 2 demo + ${store.accounts.length - 2} made with \`npm run staff\`), seed ${SEED}, tasks begun over ~${SECONDS} s each, Name debounce ${DEBOUNCE_MS} ms`,
  );
  say(
    `${values.customers} customers; upstream budget ${budget}/min in the portal (DEVDRAFT_RATE_LIMIT_PER_MIN) and the sandbox (per key); same script for every column; upstream counted by /__sandbox/stats, reset after a warm-up that spent 1 call of the portal's budget`,
  );
  say(`(answers 429: count of portal answers; a page view answered 429 is failed and not retried)`);
  say();
  const clean = report(results);
  if (values.json) writeFileSync(values.json, JSON.stringify(results.map(({ config, record, upstream, wallMs }) => ({ config, upstream, wallMs, ...record }))));
  if (!clean) throw new Error('some answers were neither 200 nor 429 (see "other errors")');
  await stop(sandbox.child);
});
