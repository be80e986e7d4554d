import "server-only";
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type { AuditAction } from "@/lib/audit/actions";
import type { AuditInput } from "@/lib/audit/input";
import type { Database } from "@/lib/db/schema";
import type { Message } from "@/lib/i18n/keys";
import type { Messages } from "@/messages/en";
import { withWriteTransaction } from "@/lib/db/write-transaction";
import { hashPassword } from "./password";
import { passwordProblem } from "./password-policy";
import type { Role } from "@/lib/roles";
import { END_REASONS, endStaffSessions } from "./session-store";
import { addStaff, StaffExistsError } from "./staff-store";

/**
 * One change to a staff account. The one code path for the staff CLI and the staff and account pages: the rules
 * (password policy, no self-demotion, the last enabled admin) are here, so neither door can skip them.
 */
export type StaffChange =
  | { kind: "add"; email: string; role: Role; name?: string; password?: string }
  | { kind: "set-role"; email: string; role: Role }
  | { kind: "disable"; email: string }
  | { kind: "enable"; email: string }
  /** An admin (or the CLI) sets someone's password. */
  | { kind: "reset-password"; email: string; password: string }
  /** A person's own change: made only if the hash is still the one their current password was checked against. */
  | { kind: "change-own-password"; email: string; password: string; checkedHash: string; keepSession?: string };

/** Who asks for the change; null from the command line (the operating-system user is recorded instead). */
export type StaffActor = { id: string; email: string } | null;

/** The part of an account a change touches: its role, whether it may sign in, whether it has a password. */
type StaffState = { role?: Role; disabled?: boolean; password?: boolean };

/** `refusal` is recorded (English, short); `message` says it to the person, in their language, at `field` or the form. */
type StaffRefusal = {
  ok: false;
  email: string;
  outcome: "invalid" | "not_found" | "denied";
  refusal: string;
  message: Message;
  field?: "email" | "name" | "password";
};
type StaffRefusalKey = keyof Messages["staff"]["refusals"];
export type StaffChangeResult = { ok: true; email: string; id: string; before: StaffState | null; after: StaffState } | StaffRefusal;

export const STAFF_CHANGE_ACTIONS = {
  add: "staff.add",
  "set-role": "staff.role_change",
  disable: "staff.disable",
  enable: "staff.enable",
  "reset-password": "staff.reset_password",
  "change-own-password": "staff.password_change",
} as const satisfies Record<StaffChange["kind"], AuditAction>;

const emailSchema = z.email().max(320);
const NAME_MAX = 200;

// PostgreSQL: one transaction-scoped advisory lock serialises staff changes across instances, so "is there another
// enabled admin?" cannot be answered the same way to two admins demoting each other at once. SQLite: BEGIN
// IMMEDIATE already serialises.
const STAFF_LOCK = 7_242_002;

/**
 * Makes the change and reports the state before and after it, or why it was refused (nothing changed then). The
 * before-state is read in the same serialised write transaction as the update, so it is the state the change
 * replaced. A password is checked against the policy and hashed before the transaction, and never returned.
 */
export async function applyStaffChange(db: Kysely<Database>, change: StaffChange, by: StaffActor = null): Promise<StaffChangeResult> {
  const email = change.email.trim().toLowerCase();
  const refuse = (outcome: StaffRefusal["outcome"], refusal: string, message: Message | StaffRefusalKey, field?: StaffRefusal["field"]): StaffRefusal => ({
    ok: false,
    email,
    outcome,
    refusal,
    message: typeof message === "string" ? { key: `staff.refusals.${message}` } : message,
    ...(field ? { field } : {}),
  });
  if ("password" in change && change.password !== undefined) {
    const problem = await passwordProblem(change.password);
    if (problem) return refuse("invalid", `password refused: ${problem.reason}`, problem.message, "password");
  }
  if (change.kind === "add") {
    if (!emailSchema.safeParse(email).success) return refuse("invalid", "not an email address", "notAnEmail", "email");
    if ((change.name?.trim().length ?? 0) > NAME_MAX)
      return refuse("invalid", `name longer than ${NAME_MAX} characters`, { key: "staff.refusals.nameTooLong", vars: { max: NAME_MAX } }, "name");
    try {
      const row = await addStaff(db, change);
      return { ok: true, email, id: row.id, before: null, after: { role: row.role, disabled: row.disabled_at !== null, password: row.password_hash !== null } };
    } catch (err) {
      if (err instanceof StaffExistsError) return refuse("invalid", "already a staff member", "exists", "email");
      throw err;
    }
  }
  const hash = "password" in change ? await hashPassword(change.password) : null;
  return withWriteTransaction(db, async (trx, kind): Promise<StaffChangeResult> => {
    if (kind === "postgres") await sql`select pg_advisory_xact_lock(${STAFF_LOCK})`.execute(trx);
    const row = await trx.selectFrom("staff").select(["id", "role", "disabled_at", "password_hash"]).where("email", "=", email).executeTakeFirst();
    if (!row) return refuse("not_found", "no such staff member", "noSuchStaff");
    const self = by !== null && by.id === row.id;
    const now = new Date().toISOString();
    const update = (set: { role?: Role; disabled_at?: string | null; password_hash?: string }) =>
      trx
        .updateTable("staff")
        .set({ ...set, updated_at: now })
        .where("id", "=", row.id)
        .execute();
    const done = (before: StaffState, after: StaffState): StaffChangeResult => ({ ok: true, email, id: row.id, before, after });
    // Whether this change would leave no enabled admin: asked only when it takes an enabled admin's power away.
    const lastAdmin = async () => {
      if (row.role !== "admin" || row.disabled_at !== null) return false;
      const other = await trx
        .selectFrom("staff")
        .select("id")
        .where("role", "=", "admin")
        .where("disabled_at", "is", null)
        .where("id", "!=", row.id)
        .limit(1)
        .executeTakeFirst();
      return !other;
    };

    switch (change.kind) {
      case "set-role": {
        if (change.role !== row.role && change.role !== "admin") {
          if (self) return refuse("denied", "an admin cannot change their own role", "ownRole");
          if (await lastAdmin()) return refuse("denied", "the last enabled admin cannot be demoted", "lastAdminDemote");
        }
        if (change.role !== row.role) await update({ role: change.role });
        return done({ role: row.role }, { role: change.role });
      }
      case "disable":
      case "enable": {
        const disable = change.kind === "disable";
        const was = row.disabled_at !== null;
        if (disable && !was) {
          if (self) return refuse("denied", "an admin cannot disable themself", "ownDisable");
          if (await lastAdmin()) return refuse("denied", "the last enabled admin cannot be disabled", "lastAdminDisable");
        }
        if (disable !== was) await update({ disabled_at: disable ? now : null });
        // The sessions would end on their next request anyway; ending them here shows it in every sessions list.
        if (disable) await endStaffSessions(trx, row.id, END_REASONS.disabled, null);
        return done({ disabled: was }, { disabled: disable });
      }
      case "reset-password": {
        // Their own password is changed with the current one (the account page), not reset.
        if (self) return refuse("denied", "own password is changed on the account page, not reset", "ownReset");
        await update({ password_hash: hash ?? undefined });
        // Whoever held a session with the old password is signed out.
        await endStaffSessions(trx, row.id, END_REASONS.passwordChanged, by?.id ?? null);
        return done({ password: row.password_hash !== null }, { password: true });
      }
      case "change-own-password": {
        if (by === null || !self) return refuse("denied", "only the account's owner changes their own password", "notOwner");
        if (row.disabled_at !== null) return refuse("denied", "account disabled", "accountDisabled");
        if (row.password_hash !== change.checkedHash) return refuse("invalid", "the password was changed meanwhile", "changedMeanwhile", "password");
        await update({ password_hash: hash ?? undefined });
        // Every other session ends: a password changed because it leaked must not leave the intruder signed in.
        await endStaffSessions(trx, row.id, END_REASONS.passwordChanged, row.id, { except: change.keepSession });
        return done({ password: true }, { password: true });
      }
    }
  });
}

/** The audit event of a change made from the command line: no actor, the operating-system user in detail. */
export function staffChangeEvent(kind: StaffChange["kind"], result: StaffChangeResult, osUser: string | null): AuditInput {
  const base = { actor: null, action: STAFF_CHANGE_ACTIONS[kind], targets: [], query: { email: result.email }, requestId: crypto.randomUUID() };
  if (!result.ok) return { ...base, outcome: result.outcome, refusal: result.refusal, detail: { via: "cli", os_user: osUser } };
  return { ...base, outcome: "ok", detail: { via: "cli", os_user: osUser, before: result.before, after: result.after } };
}
