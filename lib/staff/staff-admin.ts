import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";
import { randomBytes } from "node:crypto";
import { redirect } from "next/navigation";
import { audited } from "@/lib/access/gate";
import { ChangeRefused } from "@/lib/access/outcome";
import { getDb } from "@/lib/db";
import { requestId } from "@/lib/http/request-id";
import { trustedClientAddress } from "@/lib/auth/client-address";
import { verifyPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/password-policy";
import type { Message } from "@/lib/i18n/keys";
import { ROLES, STAFF_ADMINS } from "@/lib/roles";
import { sessionState, type Staff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import { applyStaffChange, STAFF_CHANGE_ACTIONS, type StaffChange } from "@/lib/auth/staff-changes";
import { findStaffById } from "@/lib/auth/staff-store";
import { releaseAttempt, reserveAttempt } from "@/lib/auth/throttle";

/** The staff page through the one gate: admins only, and the opening itself on record (`staff.list`). */
export async function staffPageAccess(): Promise<Staff | "forbidden"> {
  try {
    return await audited({
      action: "staff.list",
      roles: STAFF_ADMINS,
      requestId: await requestId(),
      query: { path: "/admin/staff" },
      run: async (staff) => ({ value: staff }),
    });
  } catch (err) {
    if (err instanceof AuthError && err.status === 403) return "forbidden";
    if (err instanceof AuthError) redirect(`/login?callbackUrl=${encodeURIComponent("/admin/staff")}`);
    throw err;
  }
}

/** A change an admin makes on the staff page; their own password is changed on the account page instead. */
export type AdminStaffChange = Exclude<StaffChange, { kind: "change-own-password" }>;

/** A new one-time password: 16 characters of base64url (96 random bits), shown once. */
export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}

/** What is recorded of a change asked for: never a password, only whether one was set or generated. */
function queryOf(change: AdminStaffChange | null, password: "set" | "generated" | "none" | null): Record<string, unknown> {
  if (!change) return {};
  return { email: change.email.trim().toLowerCase(), ...("role" in change ? { role: change.role } : {}), ...(password ? { password } : {}) };
}

/**
 * An admin's change through the one gate: role checked, applied by applyStaffChange (the CLI's path too), recorded
 * once with the state before and after, or with why it was refused. `asked` is the parsed change, or the refusal
 * of input that did not parse (recorded all the same).
 */
export async function changeStaff(
  action: AdminStaffChange["kind"],
  asked: AdminStaffChange | ChangeRefused,
  password: "set" | "generated" | "none" | null = null,
): Promise<{ id: string; email: string }> {
  const change = asked instanceof ChangeRefused ? null : asked;
  const query = queryOf(change, password);
  return audited({
    action: STAFF_CHANGE_ACTIONS[action],
    roles: STAFF_ADMINS,
    requestId: await requestId(),
    query,
    run: async (staff) => {
      if (!change) throw asked as ChangeRefused;
      const result = await applyStaffChange(await getDb(), change, { id: staff.id, email: staff.email });
      if (!result.ok) throw new ChangeRefused(result.outcome, result.refusal, { [result.field ?? "form"]: result.message });
      return {
        value: { id: result.id, email: result.email },
        query,
        detail: { via: "app", staff_id: result.id, before: result.before, after: result.after },
      };
    },
  });
}

export type OwnPasswordInput = { current: string; next: string; confirm: string };

/**
 * A person changes their own password: the new one meets the policy and differs from the current one, the current
 * one is checked under the sign-in throttle (same keys, so guesses here and at sign-in add up), and the change is
 * made only if the password is still the one just checked. Recorded as `staff.password_change`, never a password.
 */
export async function changeOwnPassword(input: OwnPasswordInput): Promise<void> {
  await audited({
    action: "staff.password_change",
    roles: ROLES,
    requestId: await requestId(),
    query: {},
    run: async (staff) => {
      const refused: Record<string, Message> = {};
      if (!input.current) refused.current = { key: "password.refusals.currentMissing" };
      const problem = await passwordProblem(input.next);
      if (problem) refused.next = problem.message;
      if (input.confirm !== input.next) refused.confirm = { key: "password.refusals.mismatch" };
      if (Object.keys(refused).length > 0) throw new ChangeRefused("invalid", problem ? `password refused: ${problem.reason}` : "incomplete form", refused);

      const db = await getDb();
      const ip = trustedClientAddress((await requestHeaders()).get("x-forwarded-for") ?? undefined);
      const reservation = await reserveAttempt(db, staff.email, ip);
      if (!reservation.ok) {
        const minutes = Math.max(1, Math.ceil(reservation.retryAfterMs / 60_000));
        throw new ChangeRefused("rate_limited", "too many wrong current passwords", {
          current: { key: "password.refusals.throttled", vars: { count: minutes } },
        });
      }
      const row = await findStaffById(db, staff.id);
      if (!row?.password_hash) {
        throw new ChangeRefused("denied", "no password to change", { current: { key: "password.refusals.noPassword" } });
      }
      if (!(await verifyPassword(input.current, row.password_hash))) {
        throw new ChangeRefused("denied", "wrong current password", { current: { key: "password.refusals.wrongCurrent" } });
      }
      await releaseAttempt(db, reservation.attemptId, staff.email, ip);
      if (input.next.normalize("NFKC") === input.current.normalize("NFKC")) {
        throw new ChangeRefused("invalid", "same as the current password", { next: { key: "password.refusals.sameAsCurrent" } });
      }
      const result = await applyStaffChange(
        db,
        { kind: "change-own-password", email: row.email, password: input.next, checkedHash: row.password_hash, keepSession: await currentSessionId() },
        { id: staff.id, email: staff.email },
      );
      if (!result.ok) throw new ChangeRefused(result.outcome, result.refusal, { [result.field === "password" ? "next" : "form"]: result.message });
      return { value: undefined, detail: { via: "app", staff_id: result.id, before: result.before, after: result.after } };
    },
  });
}

async function currentSessionId(): Promise<string | undefined> {
  const state = await sessionState();
  return state.state === "live" ? state.session.id : undefined;
}
