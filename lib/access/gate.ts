import "server-only";
import { processScope } from "@/lib/process-scope";
import { recordAudit } from "@/lib/audit";
import type { AuditAction } from "@/lib/audit/actions";
import { readAuditSettings } from "@/lib/audit/settings";
import type { AuditInput, AuditOrigin } from "@/lib/audit/input";
import type { Role } from "@/lib/roles";
import { currentStaff, currentStaffPassive, sessionState, signedInRecently, type Staff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import { AuditUnavailableError } from "@/lib/errors";
import { log } from "@/lib/log";
import { addStage, timed } from "@/lib/observe/timing";
import { type AnonymousRefusals, createAnonymousRefusals } from "./anonymous";
import { requestOrigin, requestOriginAs } from "./origin";
import { refusalOf } from "./outcome";

const held = processScope("access/gate", (): { anonymousRefusals?: AnonymousRefusals } => ({}));

/** What an allowed action hands back: its value and what its one event names. */
type Granted<T> = {
  value: T;
  /** Customer ids sent to the browser by this answer (exactly those). */
  targets?: readonly string[];
  /** The normalised query, recorded instead of the raw one. */
  query?: Record<string, unknown>;
  detail?: Record<string, unknown>;
  purpose?: string | null;
};

/**
 * Who acts when it is not the session cookie's staff member (an API token's owner): the door resolves it, the
 * gate does the rest. `sessionId` stands in the event's session column (`token:<id>`), `detail` joins its detail.
 */
export type ActorResolution =
  | { ok: true; staff: Staff; sessionId: string | null; detail?: Record<string, unknown> }
  | {
      ok: false;
      /** What the caller is answered. */
      error: AuthError;
      sessionId: string | null;
      /** Recorded, never answered. */
      refusal: string;
      /** The person named when the credentials were genuine but no longer valid; null for a guess. */
      actor: { id: string; email: string } | null;
      detail?: Record<string, unknown>;
    };

export type AuditedCall<T> = {
  action: AuditAction;
  roles: readonly Role[];
  requestId: string;
  /** The request's query as it came; recorded on a refusal (capped by the recorder). */
  query: Record<string, unknown>;
  /**
   * `refusals`: an allowed call writes nothing and does not count as activity for the idle timeout (background
   * status polls); default `always`.
   */
  record?: "always" | "refusals";
  /** A sensitive action: needs a sign-in (or step-up) within STEP_UP_MINUTES. */
  stepUp?: boolean;
  run: (staff: Staff) => Promise<Granted<T>>;
  /** Resolves the actor instead of the session cookie (API tokens); absent, the signed-in staff member acts. */
  actor?: () => Promise<ActorResolution>;
};

export function anonymousRefusals(): AnonymousRefusals {
  return (held.anonymousRefusals ??= createAnonymousRefusals(recordAudit, {
    fullPerMinute: readAuditSettings().AUDIT_FULL_REFUSALS_PER_MINUTE,
  }));
}

/**
 * The one audited-access gate. Every door that shows customers or the audit log goes through it: it resolves the
 * actor, checks the role, runs the action and records exactly one event with its outcome. A refusal is recorded
 * best effort and answers with its own error; an allowed answer leaves only once its event is committed.
 */
export async function audited<T>(call: AuditedCall<T>): Promise<T> {
  // Server-Timing "auth": actor, origin, role and step-up, up to the action (or through recording a refusal).
  const authStarted = performance.now();
  let authTimed = false;
  const endAuth = () => {
    if (!authTimed) addStage("auth", authStarted);
    authTimed = true;
  };
  try {
    return await gate(call, endAuth);
  } finally {
    endAuth();
  }
}

async function gate<T>(call: AuditedCall<T>, endAuth: () => void): Promise<T> {
  const resolved = call.actor ? await call.actor() : null;
  const origin = resolved ? await requestOriginAs(resolved.sessionId) : await requestOrigin();
  const staff = resolved ? (resolved.ok ? resolved.staff : null) : call.record === "refusals" ? await currentStaffPassive() : await currentStaff();
  const via = resolved?.detail;
  const base = { action: call.action, requestId: call.requestId, origin, targets: [] as string[], ...(via ? { detail: via } : {}) };
  if (resolved && !resolved.ok) {
    await anonymousRefusals().refuse({ ...base, query: call.query, actor: resolved.actor, outcome: "denied", refusal: resolved.refusal });
    throw resolved.error;
  }
  if (!staff) {
    await refuseWithoutSession({ ...base, query: call.query });
    throw new AuthError(401, "Sign in to continue");
  }
  const actor = { id: staff.id, email: staff.email };
  const refuse = async (err: unknown): Promise<never> => {
    const { outcome, refusal } = refusalOf(err);
    log.warn({ requestId: call.requestId, staff: staff.id, action: call.action, outcome, refusal }, "refused or failed");
    await recordAudit({ ...base, actor, query: call.query, outcome, refusal }).catch((e: unknown) =>
      log.error({ err: e, requestId: call.requestId }, "could not record a refusal"),
    );
    throw err;
  };
  if (!call.roles.includes(staff.role)) return refuse(new AuthError(403, "Your role does not allow this"));
  if (call.stepUp && !(await signedInRecently())) {
    return refuse(new AuthError(403, "Confirm it is you: enter your password again to continue", "step_up_required"));
  }

  endAuth();
  let granted: Granted<T>;
  try {
    granted = await call.run(staff);
  } catch (err) {
    return refuse(err);
  }
  if (call.record === "refusals") return granted.value;
  try {
    await timed("audit", () =>
      recordAudit({
        ...base,
        actor,
        targets: [...(granted.targets ?? [])],
        query: granted.query ?? call.query,
        outcome: "ok",
        purpose: granted.purpose ?? null,
        ...(granted.detail || via ? { detail: { ...via, ...granted.detail } } : {}),
      }),
    );
  } catch (err) {
    log.error({ err, requestId: call.requestId, action: call.action }, "audit write failed: answer withheld");
    throw new AuditUnavailableError("audit write failed", { cause: err });
  }
  return granted.value;
}

/**
 * A request without a live session, recorded through the per-address flood summary: under the staff member whose
 * session ended (the end itself was recorded once, when it was first seen: lib/auth/session.ts), or anonymously.
 */
async function refuseWithoutSession(event: Omit<AuditInput, "actor" | "outcome"> & { origin: AuditOrigin }): Promise<void> {
  const state = await sessionState();
  await anonymousRefusals().refuse({
    ...event,
    actor: null,
    outcome: "denied",
    refusal: state.state === "ended" ? `session ended: ${state.reason}` : "signed out",
  });
}

/** Shutdown: the summaries held in memory are recorded before the store closes. */
export async function closeAnonymousRefusals(): Promise<void> {
  await held.anonymousRefusals?.close();
}
