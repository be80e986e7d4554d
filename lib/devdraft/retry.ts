import "server-only";
import { metrics } from "@/lib/observe/metrics";
import { addStage } from "@/lib/observe/timing";
import type { Lane, RateBudget } from "./budget";
import { DevdraftError } from "./errors";
import type { Attempt } from "./send";

export type RetryOptions = {
  budget: RateBudget;
  /** The budget lane and the person the slots are taken for (lib/devdraft/fair-share.ts). */
  lane?: Lane;
  who?: string;
  /** Absolute time on the `now` clock by which the call must be over. */
  deadline: number;
  signal: AbortSignal;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

// Devdraft always names its delay; if it ever does not, back off for a second before anyone sends.
const UNSTATED_RATE_LIMIT_PENALTY_MS = 1_000;

/**
 * Attempts until success, a final answer or the deadline. Each attempt spends a budget slot; waits
 * are full-jitter exponential backoff, never shorter than what Devdraft asked for.
 */
export async function withRetries<T>(attempt: (remainingMs: number) => Promise<Attempt<T>>, options: RetryOptions): Promise<T> {
  const { budget, lane, who, deadline, signal, now } = options;
  for (let tries = 1; ; tries++) {
    // A backoff that woke late (a busy event loop) can leave no time at all: that is a timeout, not a question for
    // the budget, which would spend a slot on it or call it spent.
    if (deadline - now() <= 0) throw new DevdraftError("timeout", { detail: "deadline passed before the attempt" });
    const waitStarted = performance.now();
    try {
      await budget.acquire({ deadline, signal, lane, who });
    } finally {
      metrics().budgetWait.observe(addStage("budget", waitStarted) / 1000);
    }
    const remainingMs = deadline - now();
    if (remainingMs <= 0) throw new DevdraftError("timeout", { detail: "deadline passed while waiting for the budget" });
    const sendStarted = performance.now();
    let result: Attempt<T>;
    try {
      result = await attempt(remainingMs);
    } catch (error) {
      addStage("upstream", sendStarted);
      metrics().upstreamCalls.inc({ outcome: error instanceof DevdraftError ? error.kind : "aborted" });
      throw error;
    }
    addStage("upstream", sendStarted);
    metrics().upstreamCalls.inc({ outcome: result.ok ? "ok" : result.error.kind });
    if (result.ok) return result.value;
    const { error, retryable } = result;
    if (error.kind === "rate_limited") budget.penalize(error.retryAfterMs ?? UNSTATED_RATE_LIMIT_PENALTY_MS);
    if (!retryable || tries >= options.maxAttempts) throw error;
    const backoffMs = options.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (tries - 1));
    const waitMs = Math.max(backoffMs, error.retryAfterMs ?? 0);
    // Sleeping past the deadline helps nobody: answer now, with the delay the caller can pass on.
    if (now() + waitMs >= deadline) throw error;
    await options.sleep(waitMs, signal);
  }
}
