// Child processes a spec starts itself (extra portals, sandboxes), each in its own process group.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");

export type Proc = { name: string; child: ChildProcess; output: () => string };

// Only what the children need: nothing of the suite's own portal (its store, OIDC, ports) leaks in.
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

// Its own process group, so stopping it stops what it started (start.mjs runs scripts/server.mjs).
export function launch(procs: Proc[], name: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  return adopt(procs, name, child);
}

/** Keeps the last of a child's output and adds it to `procs` (stopped with the others). */
export function adopt(procs: Proc[], name: string, child: ChildProcess): Proc {
  let out = "";
  const keep = (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const proc = { name, child, output: () => out };
  procs.push(proc);
  return proc;
}

export async function stop(proc: Proc): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise((r) => child.once("exit", r));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function waitHealthy(proc: Proc, url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${proc.name} did not answer ${url} within ${ms} ms:\n${proc.output()}`);
}

export type PortalPlace = { port: number | string; sandboxPort: number | string; dataDir: string; url?: string };

/**
 * A portal of the spec's own (`scripts/start.mjs`; the suite's webServer has built .next before any spec runs, so this
 * only starts it) against a sandbox already running, with its own port and data directory. `env` adds or overrides
 * settings (a store, secrets, budgets).
 */
export function launchPortal(procs: Proc[], name: string, place: PortalPlace, env: Record<string, string> = {}): Proc {
  return launch(procs, name, ["scripts/start.mjs"], {
    PORT: String(place.port),
    SANDBOX_PORT: String(place.sandboxPort),
    PORTAL_SPAWN_SANDBOX: "0",
    PORTAL_DATA_DIR: place.dataDir,
    NEXTAUTH_URL: place.url ?? `http://127.0.0.1:${place.port}`,
    ...env,
  });
}
