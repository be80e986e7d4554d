// The soak's own sandbox and portal: started, SIGTERMed, SIGKILLed and started again. Each runs in a process
// group of its own, so a SIGKILL of the portal takes `scripts/start.mjs` and the `next start` below it together,
// as a crash of the host would, and nothing is left holding the port.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitForOk(url: string, ms: number, isAlive: () => boolean = () => true): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive()) throw new Error(`${url}: the process exited before it answered`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** Resolves once `times` probes in a row answered OK within `promptMs`: the server has worked off its backlog. */
export async function waitForPrompt(url: string, ms: number, promptMs = 250, times = 3): Promise<void> {
  const until = Date.now() + ms;
  let streak = 0;
  while (Date.now() < until) {
    const started = performance.now();
    const ok = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.ok,
      () => false,
    );
    streak = ok && performance.now() - started <= promptMs ? streak + 1 : 0;
    if (streak >= times) return;
    await sleep(50);
  }
  throw new Error(`${url} did not answer promptly within ${ms} ms`);
}

/** Resolves once nothing accepts connections on the port. */
export async function waitForPortFree(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await portOpen(port);
    if (!open) return;
    await sleep(100);
  }
  throw new Error(`port ${port} is still taken after ${ms} ms`);
}

/** Whether something accepts connections on the port now. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((done) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** Resolves once something accepts connections on the port: the server listens (it may not answer yet). */
export async function waitForPortOpen(port: number, ms: number, isAlive: () => boolean = () => true): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive()) throw new Error(`port ${port}: the process exited before it listened`);
    const open = await portOpen(port);
    if (open) return;
    await sleep(20);
  }
  throw new Error(`nothing listens on port ${port} after ${ms} ms`);
}

/** One long-lived child in its own process group, logging to a file; `start` again after it ended. */
export class Managed {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== null;
  }

  start(): void {
    if (this.child) throw new Error(`${this.name} is already running`);
    const out = openSync(this.logFile, "a");
    const child = spawn(process.execPath, this.args, { cwd: ROOT, env: this.env, stdio: ["ignore", out, out], detached: true });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((done) => {
      child.once("exit", () => {
        if (this.child === child) this.child = null;
        done();
      });
    });
    live.add(this);
  }

  /** Signals the whole group; waits for the leader to exit, escalating to SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals, graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.signalGroup(child.pid, signal);
    const timer = setTimeout(() => this.signalGroup(child.pid as number, "SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
    // The leader is gone; anything left in its group (a SIGTERMed start.mjs waits for next) goes too.
    this.signalGroup(child.pid, "SIGKILL");
    live.delete(this);
  }

  /** Last resort at exit: synchronous, no waiting. */
  killNow(): void {
    if (this.child?.pid) this.signalGroup(this.child.pid, "SIGKILL");
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}

const live = new Set<Managed>();
let hooked = false;

/** Whatever happens to the soak, the processes it started do not outlive it. */
export function killAllOnExit(signals: boolean): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const m of live) m.killNow();
  });
  if (!signals) return;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const m of live) m.killNow();
      process.exit(130);
    });
  }
}

export function sandboxProcess(port: number, dir: string): Managed {
  return new Managed(
    "sandbox",
    ["--import", "tsx", "sandbox/main.ts"],
    { ...process.env, SANDBOX_PORT: String(port), SANDBOX_RATE_LIMIT: "0" },
    join(dir, "sandbox.out"),
  );
}

export type PortalSettings = {
  /** PostgreSQL instead of the SQLite file in `dataDir`. */
  databaseUrl: string | null;
  port: number;
  sandboxPort: number;
  dataDir: string;
  deadlineMs: number;
  attemptTimeoutMs: number;
  cacheTtlMs: number;
  ratePerMin: number;
};

export function portalEnv(s: PortalSettings): NodeJS.ProcessEnv {
  // Only what the soak means to set: a NEXTAUTH_SECRET or DATABASE_URL from the caller's shell must not leak in.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(DEVDRAFT_|NEXTAUTH_|OIDC_|DATABASE_URL$|PORTAL_|AUDIT_|EXPORT_)/.test(name)) delete env[name];
  }
  return {
    ...env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(s.port),
    SANDBOX_PORT: String(s.sandboxPort),
    PORTAL_SPAWN_SANDBOX: "0",
    PORTAL_DATA_DIR: s.dataDir,
    NEXTAUTH_URL: `http://127.0.0.1:${s.port}`,
    DEVDRAFT_CACHE_TTL_MS: String(s.cacheTtlMs),
    DEVDRAFT_RATE_LIMIT_PER_MIN: String(s.ratePerMin),
    DEVDRAFT_TIMEOUT_MS: String(s.deadlineMs),
    DEVDRAFT_ATTEMPT_TIMEOUT_MS: String(s.attemptTimeoutMs),
    LOG_LEVEL: "info",
    PORTAL_LOG_FILE: join(s.dataDir, "portal.log"),
    ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}),
  };
}

export function portalProcess(s: PortalSettings): Managed {
  return new Managed("portal", ["scripts/start.mjs"], portalEnv(s), join(s.dataDir, "portal.out"));
}
