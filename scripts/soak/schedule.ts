// The soak's fault schedule: phases in order, each a share of the run, with the sandbox's faults for that phase
// and the process events (sandbox restart, portal SIGKILL) at a point inside it.

export type FaultPatch = {
  latencyMs?: number;
  errorRate?: number;
  hangRate?: number;
  malformedRate?: number;
  rateLimit?: number;
};

export type ProcessEvent =
  /** SIGTERM the sandbox (SIGKILL if it lingers), start it again `downShare` of the phase later. */
  | { kind: "sandbox-restart"; at: number; signal: "SIGTERM" | "SIGKILL"; downShare: number }
  /** SIGKILL the portal's whole process group and start it again straight away. */
  | { kind: "portal-kill"; at: number }
  /** `npm run audit:verify` on the live store, while the portal writes to it. */
  | { kind: "verify"; at: number };

export type Phase = {
  name: string;
  /** Share of the whole run. */
  share: number;
  faults: FaultPatch;
  /** `at` is a share of this phase (0 = its start). */
  events: ProcessEvent[];
};

export type Timeouts = { deadlineMs: number; attemptTimeoutMs: number };

/** No faults, and the sandbox's own rate limit off: the portal's budget is what limits. */
export const CLEAR: Required<FaultPatch> = { latencyMs: 0, errorRate: 0, hangRate: 0, malformedRate: 0, rateLimit: 0 };

/** The ten-minute schedule of issue 7, scaled to any length. */
export function fullSchedule({ attemptTimeoutMs }: Timeouts): Phase[] {
  return [
    { name: "normal", share: 0.08, faults: {}, events: [] },
    // Near, but under, one attempt's timeout: slow answers, still answers. The first SIGKILL lands here,
    // with every request waiting on the upstream.
    { name: "slow-under", share: 0.09, faults: { latencyMs: Math.round(attemptTimeoutMs * 0.7) }, events: [{ kind: "portal-kill", at: 0.5 }] },
    // Over it: every attempt times out, so the deadline must turn into a 504 in time.
    { name: "slow-over", share: 0.08, faults: { latencyMs: attemptTimeoutMs + 300 }, events: [] },
    { name: "errors", share: 0.1, faults: { errorRate: 0.3 }, events: [] },
    // The second SIGKILL while requests wait out hung attempts and retry.
    { name: "hangs", share: 0.1, faults: { hangRate: 0.3 }, events: [{ kind: "portal-kill", at: 0.6 }] },
    { name: "malformed", share: 0.08, faults: { malformedRate: 0.3 }, events: [] },
    // Devdraft's own limit, far under the offered rate: it answers 429 with its delay.
    // The mid-run verification is a CPU burst of its own: here, where the portal answers at once anyway.
    { name: "rate-limited", share: 0.1, faults: { rateLimit: 20 }, events: [{ kind: "verify", at: 0.3 }] },
    { name: "sandbox-term", share: 0.09, faults: {}, events: [{ kind: "sandbox-restart", at: 0, signal: "SIGTERM", downShare: 0.4 }] },
    { name: "sandbox-kill", share: 0.08, faults: { latencyMs: 200 }, events: [{ kind: "sandbox-restart", at: 0.2, signal: "SIGKILL", downShare: 0.2 }] },
    { name: "recovery", share: 0.2, faults: {}, events: [] },
  ];
}

/** The fast version: one portal SIGKILL and one sandbox restart among the main faults. */
export function shortSchedule({ attemptTimeoutMs }: Timeouts): Phase[] {
  return [
    { name: "normal", share: 0.14, faults: {}, events: [] },
    // The SIGKILL while every uncached request waits on the upstream.
    { name: "slow-over", share: 0.14, faults: { latencyMs: attemptTimeoutMs + 300 }, events: [{ kind: "portal-kill", at: 0.5 }] },
    { name: "errors", share: 0.16, faults: { errorRate: 0.3 }, events: [] },
    { name: "hangs", share: 0.12, faults: { hangRate: 0.3 }, events: [] },
    { name: "sandbox-term", share: 0.16, faults: {}, events: [{ kind: "sandbox-restart", at: 0, signal: "SIGTERM", downShare: 0.4 }] },
    { name: "recovery", share: 0.28, faults: {}, events: [{ kind: "verify", at: 0.3 }] },
  ];
}

export type TimedPhase = Phase & { startMs: number; endMs: number };

/** Phases laid out on the run's clock (ms from the start of traffic). */
export function layout(phases: Phase[], durationMs: number): TimedPhase[] {
  const total = phases.reduce((sum, p) => sum + p.share, 0);
  let at = 0;
  return phases.map((phase, i) => {
    const startMs = at;
    at = i === phases.length - 1 ? durationMs : at + (phase.share / total) * durationMs;
    return { ...phase, startMs: Math.round(startMs), endMs: Math.round(at) };
  });
}

export function phaseAt(phases: TimedPhase[], ms: number): TimedPhase {
  return phases.find((p) => ms < p.endMs) ?? (phases[phases.length - 1] as TimedPhase);
}
