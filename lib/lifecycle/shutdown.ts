import "server-only";
import { processScope } from "@/lib/process-scope";
import type { Server, ServerResponse } from "node:http";

const held = processScope("lifecycle/shutdown", (): { lifecycle?: LifecycleState; http?: PublishedHttp } => ({}));

/**
 * The one owner of the process's shutdown. On SIGTERM (or SIGINT):
 *   1. readiness goes false: GET /api/health/ready answers 503 while requests are still served, for
 *      SHUTDOWN_READINESS_GRACE_MS, so a load balancer stops sending new ones;
 *   2. the listener closes (no new connections), idle keep-alive connections are closed, requests in flight finish
 *      (each answered with `Connection: close`); a request arriving on a kept-alive connection now is refused 503;
 *   3. the `drain` hooks run in the order they were registered (the audit recorder's queued writes, the audit schedule,
 *      an outbox's stop()), then the `final` hooks (the last signed checkpoint, which must cover every event);
 *   4. the stores close, and the process exits: 0 when everything finished, 1 when the deadline
 *      (SHUTDOWN_DEADLINE_MS, from the signal) cut it short or a hook failed. Requests in flight get the deadline
 *      less a reserve (a quarter of it, at most 5 s) kept for steps 3 and 4.
 *
 * The listener is the one scripts/server.mjs publishes on held.http; under `next dev` (or a bare
 * `next start`) there is none and Next closes its own, so only steps 1, 3 and 4 are ours.
 * State lives in lib/process-scope.ts: Next compiles this module into several bundles (instrumentation, each route).
 */
export type ShutdownPhase = "drain" | "final";

type Hook = { name: string; phase: ShutdownPhase; run: () => unknown };

type LifecycleState = {
  /** False from the signal on: readiness answers 503. */
  ready: boolean;
  /** True once the listener is closed: scripts/server.mjs refuses what still arrives on open connections. */
  listenerClosed: boolean;
  hooks: Hook[];
  /** Registered last of all: closes the stores. */
  closeStores: (() => Promise<void>) | null;
  installed: boolean;
  running: Promise<void> | null;
};

/** What scripts/server.mjs publishes: its listener and the responses being written, from the first request on. */
type PublishedHttp = { server: Server; inFlight: Set<ServerResponse>; closeApp?: () => Promise<void> };

function state(): LifecycleState {
  return (held.lifecycle ??= {
    ready: true,
    listenerClosed: false,
    hooks: [],
    closeStores: null,
    installed: false,
    running: null,
  });
}

/** False once shutdown began: the load balancer should send no more requests. */
export function isReady(): boolean {
  return state().ready;
}

/**
 * Registers `run` to be awaited on shutdown, within the deadline. `drain` hooks (the default) run first, in
 * registration order; `final` hooks after them (the last checkpoint). A hook that throws is logged and the rest still
 * run. Registering the same name again replaces the earlier hook (module reloads in development).
 */
export function onShutdown(name: string, run: () => unknown, phase: ShutdownPhase = "drain"): void {
  const s = state();
  s.hooks = s.hooks.filter((h) => h.name !== name);
  s.hooks.push({ name, phase, run });
}

/** The store closer, run after every hook (nothing may need the store after it). */
export function onShutdownCloseStores(close: () => Promise<void>): void {
  state().closeStores = close;
}

export type ShutdownOptions = {
  deadlineMs: number;
  readinessGraceMs: number;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  /** Ends the process (default process.exit). */
  exit?: (code: number) => void;
};

/** Installs the SIGTERM/SIGINT handler once per process. */
export function installShutdown(opts: ShutdownOptions): void {
  const s = state();
  if (s.installed) return;
  s.installed = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      void shutdown(signal, opts);
    });
  }
}

/** Runs the shutdown sequence once (a second signal waits for the first). */
export function shutdown(reason: string, opts: ShutdownOptions): Promise<void> {
  const s = state();
  s.running ??= runShutdown(s, reason, opts);
  return s.running;
}

async function runShutdown(s: LifecycleState, reason: string, opts: ShutdownOptions): Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const started = Date.now();
  const deadline = started + opts.deadlineMs;
  const left = () => Math.max(0, deadline - Date.now());
  let ok = true;
  s.ready = false;
  opts.log.info({ reason, deadlineMs: opts.deadlineMs, readinessGraceMs: opts.readinessGraceMs }, "shutting down: readiness is off");

  const http = held.http;
  // Without our own listener (next dev, a bare next start) Next has closed its own already and exits soon: no grace,
  // the hooks at once, best effort.
  if (http) await sleep(Math.min(opts.readinessGraceMs, left()));

  if (http) {
    // Requests get the deadline less a reserve for the hooks: a request that hangs must not cost the last checkpoint.
    const reserve = Math.min(5_000, opts.deadlineMs / 4);
    const drained = await closeListener(s, http, Math.max(0, left() - reserve));
    if (!drained) {
      ok = false;
      opts.log.error({ inFlight: http.inFlight.size }, "shutdown deadline: requests still in flight were cut off");
      http.server.closeAllConnections();
    }
    opts.log.info({ ms: Date.now() - started }, "listener closed, requests in flight finished");
    if (http.closeApp) {
      const result = await withinDeadline(http.closeApp(), left());
      if (result !== "done") {
        ok = false;
        opts.log.error({ err: result === "timeout" ? "deadline" : result.error }, "Next's server did not close");
      }
    }
  }

  for (const phase of ["drain", "final"] as const) {
    for (const hook of s.hooks.filter((h) => h.phase === phase)) {
      const result = await withinDeadline(Promise.resolve().then(hook.run), left());
      if (result !== "done") {
        ok = false;
        opts.log.error({ hook: hook.name, err: result === "timeout" ? "deadline" : result.error }, "shutdown hook did not finish");
      }
    }
  }
  if (s.closeStores) {
    const result = await withinDeadline(s.closeStores(), left());
    if (result !== "done") {
      ok = false;
      opts.log.error({ err: result === "timeout" ? "deadline" : result.error }, "the stores did not close cleanly");
    }
  }
  opts.log.info({ ok, ms: Date.now() - started }, "shut down");
  exit(ok ? 0 : 1);
}

/** Stops accepting, closes idle keep-alive connections until the in-flight requests are done; false at the deadline. */
async function closeListener(s: LifecycleState, { server, inFlight }: PublishedHttp, ms: number): Promise<boolean> {
  s.listenerClosed = true;
  // Each answer still to be sent ends its connection: the client opens no new request on it.
  for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const until = Date.now() + ms;
  while (Date.now() < until) {
    server.closeIdleConnections();
    if (inFlight.size === 0) {
      const done = await withinDeadline(closed, Math.max(0, Math.min(200, until - Date.now())));
      if (done === "done") return true;
    } else {
      await sleep(25);
    }
  }
  return inFlight.size === 0;
}

async function withinDeadline(work: Promise<unknown>, ms: number): Promise<"done" | "timeout" | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => "done" as const,
        (error: unknown) => ({ error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
