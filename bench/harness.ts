// What the benches share: start the sandbox and the portal as children, wait for them, sign in through
// next-auth's credentials flow, stop every child (SIGTERM, then wait) even when a bench fails, and the
// small statistics and table helpers their reports use.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
const children = new Set<ChildProcess>();

/** A node child in the repository root, stdout discarded (the portal logs JSON lines there), stderr shown. */
export function startNode(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Polls `url` until it answers 2xx; fails at once if `child` exits first. */
export async function waitFor(url: string, ms: number, child?: ChildProcess): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`the process behind ${url} exited (${child.exitCode}) before it answered`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
export function stop(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Every child still running, last started first (the portal before the sandbox it talks to); then the temporary directories. */
export async function stopAll(): Promise<void> {
  for (const child of [...children].reverse()) await stop(child);
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type Service = { url: string; child: ChildProcess };

/** The Devdraft sandbox on `port`; `rateLimit` 0 turns its per-key limit off. */
export async function startSandbox({ port, customers = 5000, rateLimit = 0 }: { port: number; customers?: number; rateLimit?: number }): Promise<Service> {
  const child = startNode(["--import", "tsx", "sandbox/main.ts"], {
    SANDBOX_PORT: String(port),
    SANDBOX_CUSTOMERS: String(customers),
    SANDBOX_RATE_LIMIT: String(rateLimit),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/__sandbox/health`, 180_000, child);
  return { url, child };
}

export type PortalOptions = { port: number; sandboxPort: number; cacheTtlMs: number; ratePerMin: number; dataDir?: string; env?: Record<string, string> };

/** `node scripts/start.mjs` (which builds first when the sources are newer than .next) against a sandbox already running. */
export async function startPortal(options: PortalOptions): Promise<Service & { dataDir: string }> {
  const url = `http://127.0.0.1:${options.port}`;
  const dataDir = options.dataDir ?? freshDataDir("bench-portal-");
  const child = startNode(["scripts/start.mjs"], {
    PORT: String(options.port),
    SANDBOX_PORT: String(options.sandboxPort),
    PORTAL_SPAWN_SANDBOX: "0",
    PORTAL_DATA_DIR: dataDir,
    NEXTAUTH_URL: url,
    DEVDRAFT_CACHE_TTL_MS: String(options.cacheTtlMs),
    DEVDRAFT_RATE_LIMIT_PER_MIN: String(options.ratePerMin),
    ...options.env,
  });
  await waitFor(`${url}/api/health`, 600_000, child);
  return { url, child, dataDir };
}

const dataDirs: string[] = [];

/** A temporary directory, removed when the bench ends (after its children have stopped). */
export function freshDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dataDirs.push(dir);
  return dir;
}

export { signIn } from "../test/support/sign-in";

export type SandboxStats = { requests: number; hung: number; byStatus: Record<string, number> };

export async function sandboxStats(sandbox: string): Promise<SandboxStats> {
  return (await (await fetch(`${sandbox}/__sandbox/stats`)).json()) as SandboxStats;
}

/** Clears the sandbox's rate-limit window and its request counts. */
export async function resetSandbox(sandbox: string): Promise<void> {
  const res = await fetch(`${sandbox}/__sandbox/reset`, { method: "POST" });
  if (!res.ok) throw new Error(`sandbox reset answered ${res.status}`);
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The Name/Email filters' debounce, read from their source so a bench follows the code. */
export function filterDebounceMs(): number {
  const source = readFileSync(join(root, "components/customers/customer-filters.tsx"), "utf8");
  const found = /const DEBOUNCE_MS = (\d+)/.exec(source);
  if (!found?.[1]) throw new Error("DEBOUNCE_MS not found in components/customers/customer-filters.tsx");
  return Number(found[1]);
}

/** Columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (/^[-\d., /%]+$/.test(cell) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(cells[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs a bench: prints its command and start time, stops every child afterwards (also on Ctrl-C or
 * SIGTERM), and exits non-zero when it failed.
 */
export function runBench(body: () => Promise<void>): void {
  say(`$ ${["node", ...process.execArgv, ...process.argv.slice(1)].map((a) => a.replace(root, "")).join(" ")}`);
  say(`started ${new Date().toISOString()} · node ${process.version}`);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping children\n`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  body().then(
    async () => {
      await stopAll();
      say(`finished ${new Date().toISOString()}`);
      process.exit(0);
    },
    async (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      await stopAll();
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------- processes

function parentOf(pid: number): number | null {
  try {
    // comm (field 2) may hold spaces and parentheses: the fields after its last ")" are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** The Next server under a pid (scripts/start.mjs, or `next start` itself): the descendant whose title is `next-server (…)`. */
export function serverPid(startPid: number): number {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const descendants = new Set([startPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const pid of all) {
      const parent = parentOf(pid);
      if (!descendants.has(pid) && parent !== null && descendants.has(parent)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  const server = [...descendants].find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("next-server");
    } catch {
      return false;
    }
  });
  if (server === undefined) throw new Error(`no next-server process under pid ${startPid}`);
  return server;
}

/** CPU time (user + system) a process has used so far, in ms: per request, a figure a busy machine disturbs less than req/s. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;
