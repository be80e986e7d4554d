import { AsyncLocalStorage } from "node:async_hooks";
import { processScope } from "@/lib/process-scope";

/** The stages of an API answer that Server-Timing names, in the order they run. */
export const STAGES = ["auth", "validate", "budget", "upstream", "audit"] as const;
export type Stage = (typeof STAGES)[number];

/**
 * One request's timings: a request id, a start and a few numbers, nothing else (no customer data can land here).
 * `ms[i]` is the time spent in STAGES[i] (summed when a stage runs more than once: retries), `at[i]` when it first
 * began (ms after `start`, -1 = never ran) so a trace can place the stage.
 */
export type RequestTiming = {
  readonly requestId: string;
  readonly start: number;
  readonly ms: Float64Array;
  readonly at: Float64Array;
};

// One store per process, not per bundle: the services (lib/services.ts) are built by whichever bundle reads them first,
// often start-up's, and the Devdraft client they hold adds its stages to the request a route bundle is timing.
const storage = processScope("observe/timing", () => ({ requests: new AsyncLocalStorage<RequestTiming>() })).requests;

export function newTiming(requestId: string): RequestTiming {
  const at = new Float64Array(STAGES.length).fill(-1);
  return { requestId, start: performance.now(), ms: new Float64Array(STAGES.length), at };
}

/** Runs `fn` with `timing` as the current request's collector (apiRoute does this for every API request). */
export function withTiming<T>(timing: RequestTiming, fn: () => T): T {
  return storage.run(timing, fn);
}

/** The current request's id, for log lines (undefined outside an API request). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Adds `ms` (from `startedAt` on the performance clock) to a stage of the current request. */
export function addStage(stage: Stage, startedAt: number, endedAt = performance.now()): number {
  const ms = endedAt - startedAt;
  const timing = storage.getStore();
  if (timing) {
    const i = STAGES.indexOf(stage);
    timing.ms[i] = (timing.ms[i] as number) + ms;
    if ((timing.at[i] as number) < 0) timing.at[i] = startedAt - timing.start;
  }
  return ms;
}

/** Times `fn` as `stage` of the current request (the time counts whether it resolves or throws). */
export async function timed<T>(stage: Stage, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    addStage(stage, started);
  }
}

/** `auth;dur=1.2, upstream;dur=30.5, total;dur=33.0`: only the stages that ran; durations in ms, one decimal. */
export function serverTimingHeader(timing: RequestTiming, totalMs: number): string {
  let header = "";
  for (let i = 0; i < STAGES.length; i++) {
    if ((timing.at[i] as number) >= 0) header += `${STAGES[i] as string};dur=${(timing.ms[i] as number).toFixed(1)}, `;
  }
  return `${header}total;dur=${totalMs.toFixed(1)}`;
}

/** Parses a Server-Timing header into stage → ms (bench, tests). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? "").split(",")) {
    const match = /^\s*([\w-]+)\s*;\s*dur=([\d.]+)/.exec(part);
    if (match) out[match[1] as string] = Number(match[2]);
  }
  return out;
}
