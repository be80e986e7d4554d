import "server-only";
import type { Kysely } from "kysely";
import type { AuditAction } from "@/lib/audit/actions";
import type { AuditInput } from "@/lib/audit/input";
import type { Database } from "@/lib/db/schema";
import { withWriteTransaction } from "@/lib/db/write-transaction";
import type { Role } from "./roles";
import { END_REASONS, endStaffSessions } from "./session-store";
import { addStaff, setStaffDisabled, setStaffRole, StaffExistsError } from "./staff-store";

/** One change to a staff account, as the staff CLI asks for it. */
export type StaffChange =
  | { kind: "add"; email: string; role: Role; name?: string; password?: string }
  | { kind: "set-role"; email: string; role: Role }
  | { kind: "disable"; email: string }
  | { kind: "enable"; email: string };

/** The part of an account a change touches: its role, or whether it may sign in. */
type StaffState = { role: Role } | { disabled: boolean } | { role: Role; disabled: boolean };

export type StaffChangeResult =
  | { ok: true; email: string; before: StaffState | null; after: StaffState }
  | { ok: false; email: string; outcome: "invalid" | "not_found"; refusal: string };

const ACTIONS = { add: "staff.add", "set-role": "staff.role_change", disable: "staff.disable", enable: "staff.enable" } as const satisfies Record<
  StaffChange["kind"],
  AuditAction
>;

/**
 * Makes the change and reports the state before and after it. The before-state is read in the same write
 * transaction as the update (row-locked on PostgreSQL), so it is the state the change replaced.
 */
export async function applyStaffChange(db: Kysely<Database>, change: StaffChange): Promise<StaffChangeResult> {
  const email = change.email.trim().toLowerCase();
  if (change.kind === "add") {
    try {
      const row = await addStaff(db, change);
      return { ok: true, email, before: null, after: { role: row.role, disabled: row.disabled_at !== null } };
    } catch (err) {
      if (err instanceof StaffExistsError) return { ok: false, email, outcome: "invalid", refusal: "already a staff member" };
      throw err;
    }
  }
  const result = await withWriteTransaction(db, async (trx, kind) => {
    const query = trx.selectFrom("staff").select(["id", "role", "disabled_at"]).where("email", "=", email);
    const row = await (kind === "postgres" ? query.forUpdate() : query).executeTakeFirst();
    if (!row) return null;
    if (change.kind === "set-role") {
      await setStaffRole(trx, email, change.role);
      return { before: { role: row.role }, after: { role: change.role } };
    }
    const disable = change.kind === "disable";
    await setStaffDisabled(trx, email, disable);
    // The sessions would end on their next request anyway; ending them here shows it in every sessions list.
    if (disable) await endStaffSessions(trx, row.id, END_REASONS.disabled, null);
    return { before: { disabled: row.disabled_at !== null }, after: { disabled: disable } };
  });
  if (!result) return { ok: false, email, outcome: "not_found", refusal: "no such staff member" };
  return { ok: true, email, ...result };
}

/** The audit event of a change made from the command line: no actor, the operating-system user in detail. */
export function staffChangeEvent(kind: StaffChange["kind"], result: StaffChangeResult, osUser: string | null): AuditInput {
  const base = { actor: null, action: ACTIONS[kind], targets: [], query: { email: result.email }, requestId: crypto.randomUUID() };
  if (!result.ok) return { ...base, outcome: result.outcome, refusal: result.refusal, detail: { via: "cli", os_user: osUser } };
  return { ...base, outcome: "ok", detail: { via: "cli", os_user: osUser, before: result.before, after: result.after } };
}
