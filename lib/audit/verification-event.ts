import "server-only";
import type { AuditInput } from "./input";

export type VerificationVia = "schedule" | "cli";

/** What a verification run found, however it was run. */
export interface VerificationVerdict {
  ok: boolean;
  checked: number;
  headSeq: number | null;
  firstBad: { seq: number; reason: string } | null;
  durationMs: number;
}

/** The `audit.verify` event of one run: appended after the walk, so it is checked by the next run, not this one. */
export function verificationEvent(verdict: VerificationVerdict, via: VerificationVia): AuditInput {
  return {
    actor: null,
    action: "audit.verify",
    targets: [],
    query: {},
    requestId: crypto.randomUUID(),
    outcome: verdict.ok ? "ok" : "failed",
    refusal: verdict.firstBad ? `chain broken at seq ${verdict.firstBad.seq}: ${verdict.firstBad.reason}`.slice(0, 500) : null,
    detail: {
      checked: verdict.checked,
      head_seq: verdict.headSeq,
      first_bad_seq: verdict.firstBad?.seq ?? null,
      reason: verdict.firstBad?.reason ?? null,
      duration_ms: Math.round(verdict.durationMs),
      via,
    },
  };
}
